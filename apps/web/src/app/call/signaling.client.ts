import { Injectable, type OnDestroy, inject, signal } from '@angular/core';
import {
  type ClientToServerEvents,
  type Closing,
  type Failure,
  type JoinAck,
  type JoinRequest,
  type OkAck,
  SERVER_EVENT_SCHEMAS,
  SIGNALING_NAMESPACE,
  type ServerEventPayload,
  type ServerToClientEvents,
  type SignalRequest,
  closingSchema,
  joinAckSchema,
  okAckSchema,
} from '@mesh-meet/protocol';
import { APP_ORIGIN } from '../core/browser.tokens';
import { SOCKET_FACTORY, type SignalingSocket } from './socket.factory';

export type SignalingState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';
type ServerEventName = keyof ServerToClientEvents;
type Handler<E extends ServerEventName> = (payload: ServerEventPayload<E>) => void;
/** Removes what an `on…` registered. */
export type Unsubscribe = () => void;
/** Told when the server closed the connection itself, with what it said in `closing` (if it said anything). */
export type ClosedHandler = (closing: Closing | undefined) => void;

/** The browser events the server answers with `{ok}` (all but `join`, whose ack carries the call). */
export type OkEvent = Exclude<keyof ClientToServerEvents, 'join'>;
/** An event's arguments without its ack: `[payload]`, or `[]` for `leave` and `host:end`. */
export type PayloadOf<E extends OkEvent> =
  Parameters<ClientToServerEvents[E]> extends [infer Payload, ...unknown[]] ? [Payload] : [];

const ACK_TIMEOUT_MS = 10_000;
/** reconnectNow leaves an attempt it started itself alone this long (see there). */
const FORCED_ATTEMPT_SPACING_MS = 1000;
/** How long a departing page keeps its socket open for the server to acknowledge `leave`. */
const LEAVE_ACK_WAIT_MS = 1500;

/**
 * The Socket.IO connection to `/signaling`. Everything the server sends is
 * parsed with the protocol's schema before a handler sees it; acks too.
 * Socket.IO reconnects by itself after a dropped network; `onReconnect`
 * handlers run each time it does. A disconnect the server made on purpose
 * (a flood, the join deadline) is final for that socket: the client forgets it,
 * tells `onClosed` handlers why, and the next `connect()` opens a new one.
 * Every `on…` returns its unsubscribe, and `close()` drops them all: a handler
 * never outlives the call it was registered for.
 */
@Injectable()
export class SignalingClient implements OnDestroy {
  private readonly origin = inject(APP_ORIGIN);
  private readonly createSocket = inject(SOCKET_FACTORY);
  private socket: SignalingSocket | undefined;
  private connecting: Promise<void> | undefined;
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly closedHandlers = new Set<ClosedHandler>();
  /** Whether the last join on this connection was accepted (and no leave or close came since). */
  private inRoom = false;
  /** What the server said in `closing` before it closed a socket, so pending requests can say it too. */
  private readonly closings = new WeakMap<SignalingSocket, Closing>();
  private connectedTimes = 0;
  /** When reconnectNow last started an attempt itself. */
  private forcedAttemptAt = Number.NEGATIVE_INFINITY;
  private lastConnectedAt: number | undefined;
  private readonly _state = signal<SignalingState>('idle');
  readonly state = this._state.asReadonly();

  /**
   * Opens the connection; resolves once connected (the first time). The
   * lobby calls it early so Join does not wait for the handshake; a second
   * call shares the first one's attempt, and one after a failure tries again.
   */
  connect(): Promise<void> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private open(): Promise<void> {
    this._state.set('connecting');
    const socket = this.createSocket(`${this.origin}${SIGNALING_NAMESPACE}`, {
      // WebSocket only: no sticky sessions needed behind a load balancer.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    this.socket = socket;
    let connectedBefore = false;
    socket.on('closing', (payload: unknown) => {
      const parsed = closingSchema.safeParse(payload);
      if (parsed.success) this.closings.set(socket, parsed.data);
      else console.warn('signaling: dropped a malformed event', { event: 'closing' });
    });
    socket.on('disconnect', (reason) => {
      // Socket.IO does not reconnect after the server's own disconnect: that socket is dead.
      if (reason === 'io server disconnect') return this.closedByServer(socket);
      if (this._state() !== 'closed') this._state.set('reconnecting');
    });
    return new Promise<void>((resolve, reject) => {
      socket.on('connect', () => {
        this._state.set('connected');
        this.connectedTimes += 1;
        this.lastConnectedAt = Date.now();
        // A copy: a handler may unsubscribe itself (or another) while we go through them.
        if (connectedBefore) for (const handler of [...this.reconnectHandlers]) handler();
        connectedBefore = true;
        resolve();
      });
      socket.on('connect_error', (error) => {
        if (!connectedBefore) {
          this.close();
          reject(error);
        }
      });
    });
  }

  /** How many times a connection was made so far: a probe's answer is about the connection it was sent on. */
  get connections(): number {
    return this.connectedTimes;
  }

  /** When the current (or last) connection was made (Date.now()); undefined before the first. */
  get connectedSince(): number | undefined {
    return this.lastConnectedAt;
  }

  /** Runs `handler` with each `event` the server sends that passes its schema; malformed ones are dropped. */
  on<E extends ServerEventName>(event: E, handler: Handler<E>): Unsubscribe {
    const socket = this.requireSocket();
    const schema = SERVER_EVENT_SCHEMAS[event];
    // Typed as the contract says, but the payload is only trusted after the schema passed it.
    const listener = ((payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as ServerEventPayload<E>);
      else console.warn('signaling: dropped a malformed event', { event });
    }) as ServerToClientEvents[E];
    socket.on(event, listener as never);
    return () => socket.off(event, listener as never);
  }

  /** Runs `handler` each time Socket.IO has reconnected (not on the first connection). */
  onReconnect(handler: () => void): Unsubscribe {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  /** Runs `handler` when the server closed the connection on purpose (see `closing` in the protocol). */
  onClosed(handler: ClosedHandler): Unsubscribe {
    this.closedHandlers.add(handler);
    return () => this.closedHandlers.delete(handler);
  }

  async join(request: JoinRequest): Promise<JoinAck> {
    const ack = await this.request(joinAckSchema, 'join', ACK_TIMEOUT_MS, request);
    this.inRoom = ack.ok && 'self' in ack;
    return ack;
  }

  /** Sends an event that answers `{ok}`; resolves with the parsed ack (or a failure). */
  send<E extends OkEvent>(event: E, ...payload: PayloadOf<E>): Promise<OkAck> {
    if (event === 'leave') this.inRoom = false;
    return this.request(okAckSchema, event, ACK_TIMEOUT_MS, ...payload);
  }

  /**
   * Like `send`, but gives up after `timeoutMs` (with UNAVAILABLE): a probe
   * of whether the connection still carries anything.
   */
  sendWithin<E extends OkEvent>(timeoutMs: number, event: E, ...payload: PayloadOf<E>): Promise<OkAck> {
    return this.request(okAckSchema, event, timeoutMs, ...payload);
  }

  /**
   * Drops the connection and lets Socket.IO open a new one at once (the call
   * then resumes, as after any drop): for when the network changed under it.
   * Nothing resets a TCP connection whose local address went away; it passes
   * for alive until the ping timeout (20 s), and whatever is sent on it
   * meanwhile is lost. While a reconnect is under way already, its next
   * attempt starts at once instead of after the backoff.
   */
  reconnectNow(): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.connected) socket.io.engine.close();
    if (socket.connected) return;
    // Waiting between two attempts (Socket.IO's backoff, up to 4 s): the next one now. One in flight
    // may have begun on the network that went and hang until its 8 s timeout: it starts over too,
    // unless we started it ourselves moments ago (one network change fires `online` and two or three
    // `connection` changes within a second, which must not abort each other's attempt). A socket
    // that is not connected sends nothing on disconnect (no leave); its handlers stay.
    const now = Date.now();
    if (socket.io._readyState === 'opening' && now - this.forcedAttemptAt < FORCED_ATTEMPT_SPACING_MS) return;
    this.forcedAttemptAt = now;
    socket.disconnect();
    socket.connect();
  }

  /** Fire and forget: signals are many and small; a lost one is covered by ICE restarts. */
  signal(request: SignalRequest): void {
    this.socket?.emit('signal', request);
  }

  /**
   * Says `leave` and disconnects at once: for a page that is going away for
   * good (pagehide), where nothing can be awaited. The server is meant to take
   * the disconnect itself as leaving too: a Socket.IO server ignores an event
   * that it reads together with the disconnect after it.
   */
  leaveAndClose(): void {
    this.socket?.emit('leave', () => undefined);
    this.close();
  }

  /**
   * Gives up the seat, if one is held, then disconnects: for the meeting page
   * going away while the app lives on (a route change). The leave is
   * acknowledged before the disconnect (or given 1.5 s), so the two cannot
   * arrive together; every handler goes at once. Safe to call twice.
   */
  depart(): void {
    const socket = this.socket;
    const seated = this.inRoom;
    this.forget();
    if (!socket || !seated) return void socket?.disconnect();
    const disconnect = () => {
      clearTimeout(timer);
      socket.disconnect();
    };
    const timer = setTimeout(disconnect, LEAVE_ACK_WAIT_MS);
    socket.emit('leave', disconnect);
  }

  /** Disconnects and drops every handler: socket listeners, reconnect and closed handlers alike. */
  close(): void {
    const socket = this.socket;
    this.forget();
    socket?.disconnect();
  }

  /** The meeting page is going away (the app navigated elsewhere): leave, if seated, and disconnect. */
  ngOnDestroy(): void {
    this.depart();
  }

  private async request<T>(
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
    event: keyof ClientToServerEvents,
    timeoutMs: number,
    ...args: unknown[]
  ): Promise<T | Failure> {
    const socket = this.requireSocket();
    // The public methods above pin each event to its payload; here the ack is parsed, not trusted.
    const timed = socket.timeout(timeoutMs);
    const emitWithAck = timed.emitWithAck as (this: typeof timed, event: string, ...args: unknown[]) => Promise<unknown>;
    try {
      const ack = await emitWithAck.call(timed, event, ...args);
      const parsed = schema.safeParse(ack);
      if (parsed.success) return parsed.data;
      return { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'unexpected answer from the server' } };
    } catch {
      // Closed by the server while we waited: its reason beats a guess.
      return { ok: false, error: this.closings.get(socket) ?? { code: 'UNAVAILABLE', message: 'no answer from the server' } };
    }
  }

  /** Drops every handler and the socket itself (the next connect() opens a new one), without disconnecting it. */
  private forget(): void {
    this._state.set('closed');
    this.inRoom = false;
    this.reconnectHandlers.clear();
    this.closedHandlers.clear();
    this.socket?.removeAllListeners();
    this.socket = undefined;
    this.connecting = undefined;
  }

  /** Forgets the dead socket (so connect() opens a new one) and tells the closed handlers why. */
  private closedByServer(socket: SignalingSocket): void {
    if (socket !== this.socket) return;
    const handlers = [...this.closedHandlers];
    this.close();
    for (const handler of handlers) handler(this.closings.get(socket));
  }

  private requireSocket(): SignalingSocket {
    if (!this.socket) throw new Error('signaling: connect() first');
    return this.socket;
  }
}
