import WebSocket from 'ws';
import { SIGNALING_NAMESPACE as NAMESPACE } from '@mesh-meet/protocol';

/**
 * Thin clients that speak the wire protocols directly over `ws`, so the load
 * generator spends as little CPU per message as possible (socket.io-client
 * would cost about as much per message as the server being measured, and
 * this machine has two cores for both). They do what a real client must:
 * answer Engine.IO pings (else the server drops them after 20 s), connect
 * to the namespace, and send events with or without an ack.
 *
 * Engine.IO v4 over WebSocket: one packet per frame; `0` open, `2` ping,
 * `3` pong, `4` message. Socket.IO v5 inside a message: `0` connect,
 * `2` event, `3` ack, `4` connect error; `/signaling,` names the namespace.
 */

const CONNECT_TIMEOUT_MS = 20_000;
const ACK_TIMEOUT_MS = 20_000;

export interface WireClient {
  readonly index: number;
  /** The id other clients address messages to: the peer id (ours), the socket id (plain), the chosen id (PeerJS). */
  peerId: string;
  readonly ws: WebSocket;
  close(): Promise<void>;
}

export type FrameHandler = (client: number, frame: string) => void;

function wsUrl(base: string, path: string): string {
  return `${base.replace(/^http/, 'ws')}${path}`;
}

export class SocketIoWireClient implements WireClient {
  peerId = '';
  readonly ws: WebSocket;
  private nextAckId = 1;
  private readonly pendingAcks = new Map<number, (payload: unknown) => void>();

  private constructor(
    readonly index: number,
    base: string,
    onFrame: FrameHandler,
    onConnected: (socketId: string) => void,
    onError: (error: Error) => void,
  ) {
    this.ws = new WebSocket(wsUrl(base, '/socket.io/?EIO=4&transport=websocket'), { perMessageDeflate: false });
    this.ws.on('error', onError);
    this.ws.on('close', () => onError(new Error('closed before connecting')));
    this.ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      const packet = frame.charCodeAt(0);
      if (packet === 0x32 /* 2: ping */) {
        this.ws.send('3');
      } else if (packet === 0x34 /* 4: message */) {
        const kind = frame.charCodeAt(1);
        if (kind === 0x32 /* 2: event */) onFrame(this.index, frame);
        else if (kind === 0x33 /* 3: ack */) this.settleAck(frame);
        else if (kind === 0x30 /* 0: namespace connected */) onConnected(JSON.parse(frame.slice(frame.indexOf('{'))).sid);
        else if (kind === 0x34 /* 4: connect error */) onError(new Error(`namespace refused: ${frame}`));
      } else if (packet === 0x30 /* 0: engine open */) {
        this.ws.send(`40${NAMESPACE},`);
      }
    });
  }

  /** Connects to `/signaling`; resolves once the namespace accepted the connection. */
  static connect(index: number, base: string, onFrame: FrameHandler): Promise<SocketIoWireClient> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.ws.terminate();
        reject(error);
      };
      const client: SocketIoWireClient = new SocketIoWireClient(
        index,
        base,
        onFrame,
        (socketId) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          client.peerId = socketId;
          client.ws.removeAllListeners('close');
          client.ws.removeAllListeners('error');
          client.ws.on('error', () => undefined);
          resolve(client);
        },
        fail,
      );
    });
  }

  /** An event without an ack: what the browser does for `signal`. */
  send(frame: string): void {
    this.ws.send(frame);
  }

  request<T>(event: string, payload: unknown): Promise<T> {
    const id = this.nextAckId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(id);
        reject(new Error(`no ack for ${event} within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.pendingAcks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer as T);
      });
      this.ws.send(`42${NAMESPACE},${id}${JSON.stringify([event, payload])}`);
    });
  }

  private settleAck(frame: string): void {
    // 43/signaling,<id>[answer]
    const idStart = frame.indexOf(',') + 1;
    const bracket = frame.indexOf('[', idStart);
    const id = Number(frame.slice(idStart, bracket));
    const settle = this.pendingAcks.get(id);
    if (!settle) return;
    this.pendingAcks.delete(id);
    settle((JSON.parse(frame.slice(bracket)) as unknown[])[0]);
  }

  close(): Promise<void> {
    return closeSocket(this.ws);
  }
}

/**
 * A PeerJS client's signaling socket: `GET /peerjs?key=&id=&token=` upgraded
 * to a WebSocket; the server says `{"type":"OPEN"}` and then relays
 * `{type, dst, payload}` messages with `src` set from the connection.
 */
export class PeerJsWireClient implements WireClient {
  readonly ws: WebSocket;

  private constructor(
    readonly index: number,
    public peerId: string,
    base: string,
  ) {
    this.ws = new WebSocket(wsUrl(base, `/peerjs?key=peerjs&id=${peerId}&token=t${index}`), { perMessageDeflate: false });
  }

  static connect(index: number, base: string, peerId: string, onFrame: FrameHandler): Promise<PeerJsWireClient> {
    const client = new PeerJsWireClient(index, peerId, base);
    return new Promise((resolve, reject) => {
      let open = false;
      const timer = setTimeout(() => fail(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
      const fail = (error: Error) => {
        if (open) return;
        open = true;
        clearTimeout(timer);
        client.ws.terminate();
        reject(error);
      };
      client.ws.on('error', fail);
      client.ws.on('close', () => fail(new Error('closed before OPEN')));
      client.ws.on('message', (data: Buffer) => {
        const frame = data.toString();
        if (open) return onFrame(index, frame);
        if (frame.includes('"OPEN"')) {
          open = true;
          clearTimeout(timer);
          client.ws.removeAllListeners('close');
          client.ws.removeAllListeners('error');
          client.ws.on('error', () => undefined);
          resolve(client);
        } else {
          fail(new Error(`PeerJS refused: ${frame}`));
        }
      });
    });
  }

  send(frame: string): void {
    this.ws.send(frame);
  }

  close(): Promise<void> {
    return closeSocket(this.ws);
  }
}

/** Closes cleanly when the server answers, and cuts the connection when it does not within 3 s. */
function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 3000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close();
  });
}
