import { Server } from 'socket.io';
import { AttendanceService } from '../attendance/attendance.service';
import { type AppConfig, loadConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ParticipationEntity } from '../database/entities';
import { AppLogger } from '../logging/app-logger';
import { MemoryMembershipStore } from '../membership/memory-membership.store';
import type { Member } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryAddressRateLimiter } from '../rate-limit/address-rate-limiter';
import { RoomsService } from '../rooms/rooms.service';
import { MemoryWaitingRoomStore } from '../waiting-room/memory-waiting-room.store';
import { Departures } from './departures.service';
import { MeetingChannels } from './meeting-channels.service';
import { PresenceService } from './presence.service';
import type { SignalingNamespace, SignalingSocket } from './socket-session';
import { WaitingRoomService } from './waiting-room.service';

/**
 * The grace period without sockets: a dropped connection is only its id and
 * session to presence (Socket.IO has already taken it out of its channels).
 */
describe('PresenceService', () => {
  let config: AppConfig;
  let database: DatabaseService;
  let rooms: RoomsService;
  let store: MemoryMembershipStore;
  let presence: PresenceService;

  beforeEach(async () => {
    config = loadConfig({ DATABASE_URL: 'sqlite::memory:', RECONNECT_GRACE_MS: '60000', NODE_ID: 'presence-spec' });
    const logger = AppLogger.create('silent');
    database = new DatabaseService(config, logger);
    await database.connect();
    rooms = new RoomsService(database, config);
    store = new MemoryMembershipStore();
    const channels = new MeetingChannels(new MetricsService());
    // A namespace with no sockets: announcements reach nobody, which is all these cases need.
    channels.attach(new Server().of('/signaling') as unknown as SignalingNamespace);
    const attendance = new AttendanceService(database, store, config);
    const waiting = new WaitingRoomService(new MemoryWaitingRoomStore(), store, channels, new MemoryAddressRateLimiter(), logger, config);
    presence = new PresenceService(store, channels, new Departures(channels, attendance, waiting, logger), waiting, logger, config);
  });

  afterEach(async () => {
    await database.onApplicationShutdown();
  });

  async function droppedMember(): Promise<{ member: Member; socket: SignalingSocket }> {
    const { roomId } = await rooms.create('Standup');
    const member: Member = {
      peerId: 'peer-aaaaaaaa',
      roomId,
      userId: '0b6f6c1e-58a4-4a4e-9a86-8f2f7d8c1b11',
      name: 'Ada',
      role: 'guest',
      media: { audio: true, video: false, screen: false },
      participationId: '5d0b8c43-6f0e-4d5c-9a0a-1c2b3d4e5f60',
      nodeId: config.nodeId,
      connectionId: 'connection-1',
      resumeTokenHash: 'hash',
      joinedAt: new Date().toISOString(),
    };
    await store.admit(member, 6);
    await new AttendanceService(database, store, config).open({ id: member.participationId, ...member });
    const session = { roomId, peerId: member.peerId, userId: member.userId, role: member.role, name: member.name };
    const socket = { id: 'connection-1', data: { session } } as unknown as SignalingSocket;
    await presence.disconnected(socket);
    return { member, socket };
  }

  const attendanceRow = (id: string) => database.repository(ParticipationEntity).findOneByOrFail({ id });

  it('keeps a dropped member in the room during the grace period', async () => {
    const { member, socket } = await droppedMember();
    expect(socket.data.session).toBeUndefined();
    expect(await store.get(member.roomId, member.peerId)).toMatchObject({ peerId: member.peerId });
    expect(await attendanceRow(member.participationId)).toMatchObject({ leftAt: null });
  });

  it('removes a member that did not come back, and closes its attendance as disconnected', async () => {
    const { member } = await droppedMember();
    // Shutdown ends every grace period at once.
    await presence.leaveAll('disconnected');
    expect(await store.get(member.roomId, member.peerId)).toBeNull();
    expect(await attendanceRow(member.participationId)).toMatchObject({ leftReason: 'disconnected' });
  });

  it('cancels the removal of a member that resumed', async () => {
    const { member } = await droppedMember();
    presence.resumed(member.peerId);
    await presence.leaveAll('disconnected');
    expect(await store.get(member.roomId, member.peerId)).toMatchObject({ peerId: member.peerId });
    expect(await attendanceRow(member.participationId)).toMatchObject({ leftAt: null });
  });

  it('never removes a member for a connection it has already replaced', async () => {
    const { member } = await droppedMember();
    // Back on another process: this one's grace period still runs out.
    await store.rebind(member.roomId, member.peerId, 'connection-2', 'other-node');
    await presence.leaveAll('disconnected');
    expect(await store.get(member.roomId, member.peerId)).toMatchObject({ connectionId: 'connection-2' });
    expect(await attendanceRow(member.participationId)).toMatchObject({ leftAt: null });
  });
});
