import { Injectable, type OnDestroy, inject, signal } from '@angular/core';
import type { Socket } from 'socket.io-client';
import {
  type Failure,
  type JoinAck,
  type JoinRequest,
  type OkAck,
  SERVER_EVENT_SCHEMAS,
  SIGNALING_NAMESPACE,
  type ServerEventPayload,
  type ServerToClientEvents,
  joinAckSchema,
  okAckSchema,
} from '@mesh-meet/protocol';
import { APP_ORIGIN } from '../core/browser.tokens';
import { SOCKET_FACTORY } from './socket.factory';

export type SignalingState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';
type ServerEventName = keyof ServerToClientEvents;
type Handler<E extends ServerEventName> = (payload: ServerEventPayload<E>) => void;

const ACK_TIMEOUT_MS = 10_000;

/**
 * The Socket.IO connection to `/signaling`. Everything the server sends is
 * parsed with the protocol's schema before a handler sees it; acks too.
 * Socket.IO reconnects by itself; `onReconnect` handlers run each time it does.
 */
@Injectable()
export class SignalingClient implements OnDestroy {
  private readonly origin = inject(APP_ORIGIN);
  private readonly createSocket = inject(SOCKET_FACTORY);
  private socket: Socket | undefined;
  private connecting: Promise<void> | undefined;
  private readonly reconnectHandlers: Array<() => void> = [];
  readonly state = signal<SignalingState>('idle');

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
    this.state.set('connecting');
    const socket = this.createSocket(`${this.origin}${SIGNALING_NAMESPACE}`, {
      // WebSocket only: no sticky sessions needed behind a load balancer.
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    this.socket = socket;
    let connectedBefore = false;
    socket.on('disconnect', () => {
      if (this.state() !== 'closed') this.state.set('reconnecting');
    });
    return new Promise<void>((resolve, reject) => {
      socket.on('connect', () => {
        this.state.set('connected');
        if (connectedBefore) for (const handler of this.reconnectHandlers) handler();
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

  on<E extends ServerEventName>(event: E, handler: Handler<E>): void {
    const schema = SERVER_EVENT_SCHEMAS[event];
    this.requireSocket().on(event as string, (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as ServerEventPayload<E>);
      else console.warn('signaling: dropped a malformed event', { event });
    });
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  async join(request: JoinRequest): Promise<JoinAck> {
    return this.request(joinAckSchema, 'join', request);
  }

  /** Sends an event that answers `{ok}`; resolves with the parsed ack (or a failure). */
  send(event: string, payload?: unknown): Promise<OkAck> {
    return payload === undefined ? this.request(okAckSchema, event) : this.request(okAckSchema, event, payload);
  }

  /** Fire and forget: signals are many and small; a lost one is covered by ICE restarts. */
  emit(event: string, payload: unknown): void {
    this.socket?.emit(event, payload);
  }

  close(): void {
    this.state.set('closed');
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.connecting = undefined;
  }

  ngOnDestroy(): void {
    this.close();
  }

  private async request<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, event: string, ...args: unknown[]): Promise<T | Failure> {
    const socket = this.requireSocket();
    try {
      const ack: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args);
      const parsed = schema.safeParse(ack);
      if (parsed.success) return parsed.data;
      return { ok: false, error: { code: 'INVALID_PAYLOAD', message: 'unexpected answer from the server' } };
    } catch {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'no answer from the server' } };
    }
  }

  private requireSocket(): Socket {
    if (!this.socket) throw new Error('signaling: connect() first');
    return this.socket;
  }
}
