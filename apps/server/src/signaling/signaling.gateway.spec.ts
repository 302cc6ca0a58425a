import type { Failure } from '@mesh-meet/protocol';
import { loadConfig } from '../config/config';
import { DatabaseUnavailableError } from '../database/database-unavailable.error';
import { AppLogger } from '../logging/app-logger';
import type { AdmissionService } from '../meeting/admission.service';
import type { HostActionsService } from '../meeting/host-actions.service';
import type { MeetingChannels } from '../meeting/meeting-channels.service';
import type { PresenceService } from '../meeting/presence.service';
import type { RoomTalkService } from '../meeting/room-talk.service';
import type { SignalRelay } from '../meeting/signal-relay.service';
import type { SignalingSocket } from '../meeting/socket-session';
import { MetricsService } from '../metrics/metrics.service';
import type { QualityIntake } from '../quality/quality-intake.service';
import { ConnectionLimits } from './connection-limits';
import { SignalingGateway } from './signaling.gateway';

type Listener = (this: SignalingSocket, ...args: unknown[]) => void;

/**
 * How the gateway answers a rule that fails without a MeetingError: the rule
 * is a fake that throws what a real dependency would, the socket a fake that
 * records the listeners the gateway binds.
 */
describe('SignalingGateway answering a failed rule', () => {
  const connections: Array<() => void> = [];
  // The connection goes, as a real one would: its join-deadline timer with it.
  afterEach(() => {
    for (const close of connections.splice(0)) close();
  });

  function gatewayWhoseJoinThrows(error: unknown): { join: (payload: unknown) => Promise<unknown> } {
    const config = loadConfig({ NODE_ID: 'gateway-spec' });
    const logger = AppLogger.create('silent');
    const admission = { join: () => Promise.reject(error) } as unknown as AdmissionService;
    const unused = {} as never;
    const gateway = new SignalingGateway(
      unused as MeetingChannels,
      admission,
      unused as PresenceService,
      unused as SignalRelay,
      unused as RoomTalkService,
      unused as HostActionsService,
      unused as QualityIntake,
      new ConnectionLimits(logger, config),
      new MetricsService(),
      logger,
      config,
    );
    const listeners = new Map<string, Listener>();
    const socket = {
      id: 'socket-1',
      data: {},
      connected: true,
      handshake: { headers: {}, address: '127.0.0.1' },
      conn: { remoteAddress: '127.0.0.1' },
      on: (event: string, listener: Listener) => listeners.set(event, listener),
    } as unknown as SignalingSocket;
    gateway.handleConnection(socket);
    connections.push(() => listeners.get('disconnect')?.call(socket, 'transport close'));
    return {
      join: (payload) =>
        new Promise((resolve) => listeners.get('join')?.call(socket, payload, resolve)),
    };
  }

  const join = { roomId: 'abc-defg-hij', name: 'Ada' };

  it('answers INTERNAL for a bug (any other error)', async () => {
    const { join: send } = gatewayWhoseJoinThrows(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(await send(join)).toMatchObject<Failure>({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
  });

  it('answers UNAVAILABLE when the database is unreachable', async () => {
    const { join: send } = gatewayWhoseJoinThrows(new DatabaseUnavailableError('open attendance'));
    expect(await send(join)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it.each([
    'Connection is closed.',
    "Stream isn't writeable and enableOfflineQueue options is false",
    'Reached the max retries per request limit (which is 2). Refer to "maxRetriesPerRequest" option for details.',
  ])('answers UNAVAILABLE when Redis is down (ioredis: %s)', async (message) => {
    const { join: send } = gatewayWhoseJoinThrows(new Error(message));
    expect(await send(join)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
