import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type BeforeApplicationShutdown, Inject } from '@nestjs/common';
import type { ZodType } from 'zod';
import {
  CLIENT_EVENTS,
  type Failure,
  type JoinAck,
  type OkAck,
  chatRequestSchema,
  emptyRequestSchema,
  hostLockRequestSchema,
  hostRemoveRequestSchema,
  joinRequestSchema,
  mediaStateRequestSchema,
  type ParseResult,
  parsePayload,
} from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { describeError } from '../database/database.service';
import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import { AppLogger } from '../logging/app-logger';
import { MetricsService } from '../metrics/metrics.service';
import { clientAddress } from '../rate-limit/client-address';
import { SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND, TokenBucket } from '../rate-limit/token-bucket';
import { MeetingService } from './meeting.service';
import { parseSignalRequest } from './signal-request';
import { SignalingError, failure } from './signaling-error';
import { payloadAndAck } from './socket-payload';
import type { SignalingNamespace, SignalingSocket } from './socket-session';

const OK: OkAck = { ok: true };

type ClientEvent = (typeof CLIENT_EVENTS)[keyof typeof CLIENT_EVENTS];
type Handler = (socket: SignalingSocket, payload: unknown) => Promise<unknown>;
type SocketListener = (this: SignalingSocket, ...args: unknown[]) => void;

/**
 * A Socket.IO listener for one event, for any socket: Socket.IO calls it with
 * the socket as `this`, so one function serves every connection.
 */
function socketListener(
  event: ClientEvent,
  handler: Handler,
  logger: AppLogger,
): SocketListener {
  return function (this: SignalingSocket, ...args: unknown[]): void {
    const { payload, ack } = payloadAndAck(args);
    // `handle` answers every failure itself; this catch is for a bug, not a client.
    handler(this, payload).then(
      (answer) => ack?.(answer),
      (error: unknown) => logger.error('handler threw', { event, error: describeError(error) }),
    );
  };
}

/**
 * The Socket.IO namespace `/signaling`. Each handler parses its payload with
 * the protocol schema, spends one token of the connection's budget, and
 * answers through the ack: `{ok:true,…}` or `{ok:false, error:{code, message}}`.
 * Nothing a client sends can throw past this class, so the connection and
 * the server go on after any rejection.
 *
 * The handlers are bound on each socket in handleConnection rather than with
 * @SubscribeMessage: Nest's adapter builds an RxJS pipeline per handler per
 * connection and runs every message through observables, pipes and
 * interceptors, none of which this gateway uses. Measured with `npm run
 * bench` (docs/performance.md), binding them directly took the heap per
 * connected client from about 43 KB to 15 KB and the CPU per relayed
 * signal down by about a quarter.
 * The semantics are Nest's: the same argument mapping (payloadAndAck), an
 * ack only when the client asked for one.
 * The eight listeners are made once and shared by every connection
 * (Socket.IO calls a listener with the socket as `this`): per-connection
 * closures cost about 1.5 KB of heap per client (heap snapshots at 1,000
 * clients), 15 MB at 10,000.
 */
@WebSocketGateway({ namespace: 'signaling' })
export class SignalingGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown
{
  /** One listener per client event, made once and shared by every connection. */
  private readonly listeners: ReadonlyArray<readonly [ClientEvent, SocketListener]>;

  constructor(
    private readonly meeting: MeetingService,
    private readonly metrics: MetricsService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'trustProxy'>,
  ) {
    const handlers: Record<ClientEvent, Handler> = {
      [CLIENT_EVENTS.join]: (socket, payload) => this.join(socket, payload),
      [CLIENT_EVENTS.signal]: (socket, payload) => this.signal(socket, payload),
      [CLIENT_EVENTS.mediaState]: (socket, payload) => this.mediaState(socket, payload),
      [CLIENT_EVENTS.chat]: (socket, payload) => this.chat(socket, payload),
      [CLIENT_EVENTS.leave]: (socket, payload) => this.leave(socket, payload),
      [CLIENT_EVENTS.hostLock]: (socket, payload) => this.hostLock(socket, payload),
      [CLIENT_EVENTS.hostRemove]: (socket, payload) => this.hostRemove(socket, payload),
      [CLIENT_EVENTS.hostEnd]: (socket, payload) => this.hostEnd(socket, payload),
    };
    this.listeners = (Object.entries(handlers) as [ClientEvent, Handler][]).map(
      ([event, handler]) => [event, socketListener(event, handler, logger)] as const,
    );
  }

  afterInit(namespace: SignalingNamespace): void {
    this.meeting.attach(namespace);
  }

  handleConnection(socket: SignalingSocket): void {
    socket.data.address = clientAddress(
      socket.handshake.headers,
      socket.conn.remoteAddress ?? socket.handshake.address,
      this.config.trustProxy,
    );
    socket.data.bucket = new TokenBucket(SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND);
    const listen = socket as unknown as { on(event: string, listener: SocketListener): void };
    for (const [event, listener] of this.listeners) listen.on(event, listener);
    this.metrics.connectedSockets.inc();
  }

  async handleDisconnect(socket: SignalingSocket): Promise<void> {
    this.metrics.connectedSockets.dec();
    await this.meeting.disconnected(socket).catch((error: unknown) => {
      this.logger.warn('leave on disconnect failed', { error: describeError(error) });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.meeting.leaveAll('disconnected');
  }

  join(socket: SignalingSocket, payload: unknown): Promise<JoinAck> {
    return this.handle(socket, CLIENT_EVENTS.join, joinRequestSchema, payload, (request) =>
      this.meeting.join(socket, request),
    );
  }

  signal(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.signal, parseSignalRequest, payload, async (request) => {
      await this.meeting.relaySignal(socket, request.to, request.data);
      return OK;
    });
  }

  mediaState(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.mediaState, mediaStateRequestSchema, payload, async (media) => {
      await this.meeting.setMedia(socket, media);
      return OK;
    });
  }

  chat(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.chat, chatRequestSchema, payload, async (request) => {
      await this.meeting.chat(socket, request.text);
      return OK;
    });
  }

  leave(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.leave, emptyRequestSchema, payload, async () => {
      if (!socket.data.session) throw new SignalingError('NOT_IN_ROOM', 'not in a room');
      await this.meeting.leave(socket, 'left');
      return OK;
    });
  }

  hostLock(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.hostLock, hostLockRequestSchema, payload, async (request) => {
      await this.meeting.lock(socket, request.locked);
      return OK;
    });
  }

  hostRemove(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.hostRemove, hostRemoveRequestSchema, payload, async (request) => {
      await this.meeting.remove(socket, request.peerId);
      return OK;
    });
  }

  hostEnd(socket: SignalingSocket, payload: unknown): Promise<OkAck> {
    return this.handle(socket, CLIENT_EVENTS.hostEnd, emptyRequestSchema, payload, async () => {
      await this.meeting.end(socket);
      return OK;
    });
  }

  /** Rate limit, parse (with the schema, or a parser built on it), run; every failure becomes an ack with a code. */
  private async handle<T, R>(
    socket: SignalingSocket,
    event: string,
    schema: ZodType<T> | ((payload: unknown) => ParseResult<T>),
    payload: unknown,
    run: (request: T) => Promise<R>,
  ): Promise<R | Failure> {
    if (!socket.data.bucket.tryTake()) return this.reject(event, failure('RATE_LIMITED', 'slow down'));
    const parsed = typeof schema === 'function' ? schema(payload) : parsePayload(schema, payload);
    if (!parsed.ok) return this.reject(event, { ok: false, error: parsed.error });
    try {
      return await run(parsed.value);
    } catch (error) {
      if (error instanceof SignalingError) return this.reject(event, failure(error.code, error.message));
      const session = socket.data.session;
      if (error instanceof DatabaseUnavailableError) {
        this.logger.warn('database unavailable', { event, roomId: session?.roomId, error: describeError(error) });
        return this.reject(event, failure('UNAVAILABLE', 'the server cannot reach its database; try again shortly'));
      }
      this.logger.error('handler failed', { event, roomId: session?.roomId, error: describeError(error) });
      return this.reject(event, failure('UNAVAILABLE', 'the server could not complete this request'));
    }
  }

  private reject(event: string, result: Failure): Failure {
    this.metrics.reject(event, result.error.code);
    return result;
  }
}
