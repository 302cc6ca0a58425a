import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { type BeforeApplicationShutdown, Inject } from '@nestjs/common';
import type { ZodType, z } from 'zod';
import {
  CLIENT_EVENT_SCHEMAS,
  CLIENT_EVENTS,
  type ClientEventName,
  type ErrorCode,
  type Failure,
  type OkAck,
  type ParseResult,
  parsePayload,
} from '@mesh-meet/protocol';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { AdmissionService } from '../meeting/admission.service';
import { HostActionsService } from '../meeting/host-actions.service';
import { MeetingChannels } from '../meeting/meeting-channels.service';
import { MeetingError } from '../meeting/meeting-error';
import { PresenceService } from '../meeting/presence.service';
import { RoomTalkService } from '../meeting/room-talk.service';
import { SignalRelay } from '../meeting/signal-relay.service';
import type { SignalingNamespace, SignalingSocket } from '../meeting/socket-session';
import { MetricsService } from '../metrics/metrics.service';
import { QualityIntake } from '../quality/quality-intake.service';
import { clientAddress } from '../rate-limit/client-address';
import { SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND, TokenBucket } from '../rate-limit/token-bucket';
import { ConnectionLimits } from './connection-limits';
import { isOutage } from '../app/outage';
import { parseSignalRequest } from './signal-request';
import { payloadAndAck } from './socket-payload';
import { inTurn } from './socket-turn';

const OK: OkAck = { ok: true };

/** Runs a rule that answers nothing but success. */
async function done(work: Promise<void>): Promise<OkAck> {
  await work;
  return OK;
}

function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

type ClientEvent = ClientEventName;
type Handler = (socket: SignalingSocket, payload: unknown) => Promise<unknown>;
/** The protocol schema, or a parser held to it by a spec (parseSignalRequest). */
type Parser<T> = ZodType<T> | ((payload: unknown) => ParseResult<T>);
/** What the protocol's schema for an event gives a rule. */
type RequestOf<E extends ClientEvent> = z.output<(typeof CLIENT_EVENT_SCHEMAS)[E]['request']>;
/** The meeting rule an event runs, given its parsed request. */
type Rule<E extends ClientEvent> = (socket: SignalingSocket, request: RequestOf<E>) => Promise<unknown>;
type SocketListener = (this: SignalingSocket, ...args: unknown[]) => void;

/**
 * Socket.IO's disconnect reason when the client itself closed the namespace
 * (`socket.disconnect()`, the page going away): a deliberate leave, not a
 * network drop, so it gets no grace period.
 */
const CLIENT_LEFT = 'client namespace disconnect';

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
 * The Socket.IO namespace `/signaling`: a thin adapter between the wire and
 * the meeting rules (apps/server/src/meeting). One table names, per client
 * event, its parser and the rule it runs; every message spends one token of
 * the connection's budget, is parsed, and is answered through the ack:
 * `{ok:true,…}` or `{ok:false, error:{code, message}}`. Nothing a client
 * sends can throw past this class, so the connection and the server go on
 * after any rejection.
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
 * The listeners are made once and shared by every connection
 * (Socket.IO calls a listener with the socket as `this`): per-connection
 * closures cost about 1.5 KB of heap per client (heap snapshots at 1,000
 * clients), 15 MB at 10,000.
 */
@WebSocketGateway({ namespace: 'signaling' })
export class SignalingGateway implements OnGatewayInit, OnGatewayConnection, BeforeApplicationShutdown {
  /** One listener per client event, made once and shared by every connection. */
  private readonly listeners: ReadonlyArray<readonly [ClientEvent, SocketListener]>;
  /**
   * The disconnect listener, shared like the others. Bound here rather than
   * through Nest's handleDisconnect, which gets no reason and is bound only
   * after handleConnection (a connection closed there would never be seen).
   */
  private readonly onDisconnect: SocketListener;

  constructor(
    private readonly channels: MeetingChannels,
    private readonly admission: AdmissionService,
    private readonly presence: PresenceService,
    private readonly relay: SignalRelay,
    private readonly talk: RoomTalkService,
    private readonly host: HostActionsService,
    private readonly quality: QualityIntake,
    private readonly limits: ConnectionLimits,
    private readonly metrics: MetricsService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'trustProxy'>,
  ) {
    // Joins and leaves change the socket's seat: they take turns (inTurn), with the disconnect.
    const inTurns =
      <T>(run: (socket: SignalingSocket, request: T) => Promise<unknown>) =>
      (socket: SignalingSocket, request: T) =>
        inTurn(socket, () => run(socket, request));
    // Every client event and the meeting rule it runs; its payload is parsed
    // with the protocol's schema for that event (CLIENT_EVENT_SCHEMAS).
    const rules: { [E in ClientEvent]: Rule<E> } = {
      [CLIENT_EVENTS.join]: inTurns((socket, request: RequestOf<'join'>) => this.admission.join(socket, request)),
      [CLIENT_EVENTS.signal]: (socket, { to, data }) => done(this.relay.relay(socket, to, data)),
      [CLIENT_EVENTS.mediaState]: (socket, media) => done(this.talk.setMedia(socket, media)),
      [CLIENT_EVENTS.chat]: (socket, { text }) => done(this.talk.chat(socket, text)),
      [CLIENT_EVENTS.leave]: inTurns((socket) => done(this.presence.leaveOnRequest(socket))),
      [CLIENT_EVENTS.hostLock]: (socket, { locked }) => done(this.host.lock(socket, locked)),
      [CLIENT_EVENTS.hostRemove]: (socket, { peerId }) => done(this.host.remove(socket, peerId)),
      [CLIENT_EVENTS.hostEnd]: (socket) => done(this.host.end(socket)),
      [CLIENT_EVENTS.quality]: (socket, request) => done(this.quality.record(socket, request)),
    };
    // Where speed needs a hand-written check instead of the schema (held to it by its spec).
    const fastParsers: { [E in ClientEvent]?: Parser<RequestOf<E>> } = { signal: parseSignalRequest };
    const handlerFor = <E extends ClientEvent>(event: E): Handler => {
      const parse: Parser<RequestOf<E>> = fastParsers[event] ?? (CLIENT_EVENT_SCHEMAS[event].request as ZodType as ZodType<RequestOf<E>>);
      const run = rules[event];
      return (socket, payload) => this.handle(socket, event, parse, payload, run);
    };
    this.listeners = (Object.keys(rules) as ClientEvent[]).map(
      (event) => [event, socketListener(event, handlerFor(event), logger)] as const,
    );
    const disconnected = (socket: SignalingSocket, reason: unknown) => this.disconnected(socket, reason === CLIENT_LEFT);
    this.onDisconnect = function (this: SignalingSocket, reason: unknown): void {
      void disconnected(this, reason);
    };
  }

  afterInit(namespace: SignalingNamespace): void {
    this.channels.attach(namespace);
  }

  handleConnection(socket: SignalingSocket): void {
    socket.data.address = clientAddress(
      socket.handshake.headers,
      socket.conn.remoteAddress ?? socket.handshake.address,
      this.config.trustProxy,
    );
    socket.data.bucket = new TokenBucket(SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND);
    const listen = socket as unknown as { on(event: string, listener: SocketListener): void };
    listen.on('disconnect', this.onDisconnect);
    this.metrics.connectedSockets.inc();
    if (!this.limits.opened(socket)) return;
    for (const [event, listener] of this.listeners) listen.on(event, listener);
  }

  /** After the socket's joins and leaves in flight: `deliberate` leaves at once, a drop keeps the grace period. */
  private async disconnected(socket: SignalingSocket, deliberate: boolean): Promise<void> {
    this.metrics.connectedSockets.dec();
    this.limits.closed(socket);
    await inTurn(socket, () => this.presence.disconnected(socket, deliberate)).catch((error: unknown) => {
      this.logger.warn('leave on disconnect failed', { error: describeError(error) });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.presence.leaveAll('disconnected');
  }

  /** Rate limit, parse (with the schema, or a parser built on it), run; every failure becomes an ack with a code. */
  private async handle<T, R>(
    socket: SignalingSocket,
    event: string,
    parse: Parser<T>,
    payload: unknown,
    run: (socket: SignalingSocket, request: T) => Promise<R>,
  ): Promise<R | Failure> {
    if (!socket.data.bucket.tryTake()) return this.reject(socket, event, failure('RATE_LIMITED', 'slow down'));
    const parsed = typeof parse === 'function' ? parse(payload) : parsePayload(parse, payload);
    if (!parsed.ok) return this.reject(socket, event, { ok: false, error: parsed.error });
    try {
      return await run(socket, parsed.value);
    } catch (error) {
      if (error instanceof MeetingError) return this.reject(socket, event, failure(error.code, error.message));
      const session = socket.data.session;
      if (isOutage(error)) {
        this.logger.warn('dependency unavailable', { event, roomId: session?.roomId, error: describeError(error) });
        return this.reject(socket, event, failure('UNAVAILABLE', 'the server cannot reach its database or Redis; try again shortly'));
      }
      this.logger.error('handler failed', { event, roomId: session?.roomId, error: describeError(error) });
      return this.reject(socket, event, failure('INTERNAL', 'the server failed on this request (a bug); retrying will not help'));
    }
  }

  private reject(socket: SignalingSocket, event: string, result: Failure): Failure {
    this.metrics.reject(event, result.error.code);
    this.limits.refused(socket, result.error.code);
    return result;
  }
}
