import { randomUUID } from 'node:crypto';
import type { DatabaseService } from '../database/database.service';
import { ParticipationEntity, RoomEntity } from '../database/entities';
import { openDatabase, type ScratchDatabase, scratchBackends } from '../database/scratch-database';
import { memberFixture } from '../membership/member.fixture';
import type { Member } from '../membership/membership.store';
import { MemoryMembershipStore } from '../membership/memory-membership.store';
import { AttendanceService } from './attendance.service';

describe.each(scratchBackends('attendance on MariaDB/MySQL'))('AttendanceService on %s', (_, makeScratch) => {
  let scratch: ScratchDatabase;
  let database: DatabaseService;
  let store: MemoryMembershipStore;
  const roomId = `att-${randomUUID().slice(0, 8)}`;
  /** One server process's attendance, and its NODE_ID. */
  const node = (name: string) => {
    const nodeId = `${name}-${randomUUID().slice(0, 8)}`;
    return { nodeId, attendance: new AttendanceService(database, store, { nodeId }) };
  };
  type Node = ReturnType<typeof node>;

  beforeAll(async () => {
    scratch = await makeScratch();
    database = await openDatabase(scratch.config);
    await database.repository(RoomEntity).insert({
      id: roomId,
      name: 'Recovery',
      hostKeyHash: '0'.repeat(64),
      locked: false,
      maxParticipants: 6,
      createdAt: new Date(),
      endedAt: null,
    });
  });
  afterAll(async () => {
    await database?.onApplicationShutdown();
    await scratch?.drop();
  });
  beforeEach(() => {
    store = new MemoryMembershipStore();
  });

  /** Opens a row on `attendance`'s node and seats the member in the store on that node. */
  async function join({ nodeId, attendance }: Node, name: string, at: Date): Promise<Member> {
    const member = memberFixture({ roomId, name, nodeId, joinedAt: at.toISOString() });
    await attendance.open({ id: member.participationId, roomId, userId: member.userId, peerId: member.peerId, name, role: 'guest' }, at);
    await store.admit(member, 6);
    return member;
  }
  const row = (member: Member) => database.repository(ParticipationEntity).findOneByOrFail({ id: member.participationId });

  it('after a crash closes the rows of its members who are gone, at its last heartbeat', async () => {
    const crashed = node('crashed');
    const joinedAt = new Date(Date.now() - 60_000);
    const lastAlive = new Date(Date.now() - 30_000);
    const gone = await join(crashed, 'Gone', joinedAt);
    await crashed.attendance.heartbeat(lastAlive);
    await store.removeNode(crashed.nodeId);

    expect(await crashed.attendance.recoverAfterCrash()).toBe(1);
    expect(await row(gone)).toMatchObject({ leftAt: lastAlive, leftReason: 'disconnected' });
  });

  it('never closes the row of someone who resumed on another process, even before the row was moved', async () => {
    const crashed = node('crashed');
    const survivor = node('survivor');
    const resumed = await join(crashed, 'Resumed', new Date());
    const gone = await join(crashed, 'Gone', new Date());
    // The process dies; one member resumes on the survivor, the other never returns.
    await store.rebind(roomId, resumed.peerId, randomUUID(), survivor.nodeId);
    await store.removeNode(crashed.nodeId);

    expect(await crashed.attendance.recoverAfterCrash()).toBe(1);
    expect(await row(resumed)).toMatchObject({ nodeId: crashed.nodeId, leftAt: null });
    expect((await row(gone)).leftAt).not.toBeNull();
  });

  it('moves a resumed row to the new process, whose own recovery closes it once the member is gone', async () => {
    const first = node('first');
    const second = node('second');
    const member = await join(first, 'Mover', new Date());
    await store.rebind(roomId, member.peerId, randomUUID(), second.nodeId);
    await second.attendance.moveToNode(member.participationId, second.nodeId);
    expect(await row(member)).toMatchObject({ nodeId: second.nodeId, leftAt: null });

    expect(await first.attendance.recoverAfterCrash()).toBe(0);
    expect(await second.attendance.recoverAfterCrash()).toBe(0);
    await store.removeNode(second.nodeId);
    expect(await second.attendance.recoverAfterCrash()).toBe(1);
    expect(await row(member)).toMatchObject({ nodeId: second.nodeId, leftReason: 'disconnected' });
  });

  it('never moves a row that is already closed', async () => {
    const first = node('first');
    const member = await join(first, 'Left', new Date());
    await first.attendance.close(member.participationId, 'left');
    await first.attendance.moveToNode(member.participationId, 'elsewhere');
    expect(await row(member)).toMatchObject({ nodeId: first.nodeId, leftReason: 'left' });
  });
});
