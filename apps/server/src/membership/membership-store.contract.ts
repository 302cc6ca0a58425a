import { randomUUID } from 'node:crypto';
import { memberFixture } from './member.fixture';
import type { Member, MembershipStore } from './membership.store';

/** The behaviour every MembershipStore must have; run against memory and against Redis. */
export function membershipStoreContract(makeStore: () => MembershipStore | Promise<MembershipStore>): void {
  let store: MembershipStore;
  const nodeId = `node-${randomUUID().slice(0, 8)}`;
  const member = (roomId: string, name: string, node = nodeId): Member => memberFixture({ roomId, name, nodeId: node });
  const freshRoom = () => `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;

  beforeEach(async () => {
    store = await makeStore();
    await store.heartbeat(nodeId, 60_000);
  });

  it('admits up to capacity and reports who was there', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    const b = member(roomId, 'B');
    expect(await store.admit(a, 2)).toEqual({ admitted: true, others: [], stale: [], released: [] });
    expect(await store.admit(b, 2)).toEqual({ admitted: true, others: [a], stale: [], released: [] });
    expect(await store.admit(member(roomId, 'C'), 2)).toMatchObject({ admitted: false, reason: 'ROOM_FULL' });
    expect(await store.count(roomId)).toBe(2);
  });

  it('lets exactly capacity of many concurrent admits in', async () => {
    const roomId = freshRoom();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.admit(member(roomId, `M${i}`), 4)));
    expect(results.filter((result) => result.admitted)).toHaveLength(4);
    expect(await store.count(roomId)).toBe(4);
  });

  it('removes once: the second remove finds nobody', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    await store.admit(a, 6);
    expect(await store.remove(roomId, a.peerId)).toEqual(a);
    expect(await store.remove(roomId, a.peerId)).toBeNull();
    expect(await store.list(roomId)).toEqual([]);
  });

  it('routes a signal: whether the sender is in the room, and the connection of the one addressed', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    const b = member(roomId, 'B');
    await store.admit(a, 6);
    await store.admit(b, 6);
    expect(await store.signalRoute(roomId, a.peerId, b.peerId)).toEqual({ senderPresent: true, targetConnectionId: b.connectionId });
    expect(await store.signalRoute(roomId, a.peerId, 'somebody-else')).toEqual({ senderPresent: true, targetConnectionId: null });
    expect(await store.signalRoute(freshRoom(), a.peerId, b.peerId)).toEqual({ senderPresent: false, targetConnectionId: null });
  });

  it('routes a signal to the connection a member resumed on', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    const b = member(roomId, 'B');
    await store.admit(a, 6);
    await store.admit(b, 6);
    await store.rebind(roomId, b.peerId, 'new-connection', b.nodeId);
    expect((await store.signalRoute(roomId, a.peerId, b.peerId)).targetConnectionId).toBe('new-connection');
  });

  it('updates media of a member and never re-adds a removed one', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    await store.admit(a, 6);
    const media = { audio: true, video: true, screen: false };
    expect((await store.setMedia(roomId, a.peerId, media))?.media).toEqual(media);
    expect((await store.get(roomId, a.peerId))?.media).toEqual(media);
    await store.remove(roomId, a.peerId);
    expect(await store.setMedia(roomId, a.peerId, media)).toBeNull();
    expect(await store.count(roomId)).toBe(0);
  });

  it('rebinds a member to a new connection, after which a removal for the old one does nothing', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    await store.admit(a, 6);
    const rebound = await store.rebind(roomId, a.peerId, 'new-connection', 'other-node');
    expect(rebound).toMatchObject({ peerId: a.peerId, connectionId: 'new-connection', nodeId: 'other-node' });
    expect(await store.removeIfConnection(roomId, a.peerId, a.connectionId)).toBeNull();
    expect(await store.count(roomId)).toBe(1);
    expect(await store.removeIfConnection(roomId, a.peerId, 'new-connection')).toMatchObject({ peerId: a.peerId });
    expect(await store.rebind(roomId, a.peerId, 'x', nodeId)).toBeNull();
  });

  it('clears a room and returns who was in it', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    const b = member(roomId, 'B');
    await store.admit(a, 6);
    await store.admit(b, 6);
    const cleared = await store.clear(roomId);
    expect(cleared.map((m) => m.name).sort()).toEqual(['A', 'B']);
    expect(await store.count(roomId)).toBe(0);
  });

  describe('one seat per connection', () => {
    it('frees the seat a connection holds in another room when it is admitted again, and returns it', async () => {
      const first = member(freshRoom(), 'A');
      await store.admit(first, 6);
      const second = { ...member(freshRoom(), 'A again'), connectionId: first.connectionId };
      expect(await store.admit(second, 6)).toEqual({ admitted: true, others: [], stale: [], released: [first] });
      expect(await store.list(first.roomId)).toEqual([]);
      expect(await store.list(second.roomId)).toEqual([second]);
    });

    it('frees the earlier seat even when the new room is full, and a re-join of the same full room gets back in', async () => {
      const roomId = freshRoom();
      const a = member(roomId, 'A');
      const b = member(roomId, 'B');
      await store.admit(a, 2);
      await store.admit(b, 2);
      const again = { ...member(roomId, 'B again'), connectionId: b.connectionId };
      expect(await store.admit(again, 2)).toEqual({ admitted: true, others: [a], stale: [], released: [b] });
      const elsewhere = { ...member(freshRoom(), 'A elsewhere'), connectionId: a.connectionId };
      const full = member(elsewhere.roomId, 'F');
      await store.admit(full, 1);
      expect(await store.admit(elsewhere, 1)).toEqual({ admitted: false, reason: 'ROOM_FULL', stale: [], released: [a] });
      expect(await store.list(roomId)).toEqual([again]);
    });

    it('leaves exactly one seat after many concurrent admits of one connection, each earlier seat released once', async () => {
      const connectionId = randomUUID();
      const rooms = [freshRoom(), freshRoom()];
      const attempts = Array.from({ length: 12 }, (_, i) => ({ ...member(rooms[i % 2], `J${i}`), connectionId }));
      const results = await Promise.all(attempts.map((attempt) => store.admit(attempt, 6)));
      const seated = [...(await store.list(rooms[0])), ...(await store.list(rooms[1]))];
      expect(seated).toHaveLength(1);
      const released = results.flatMap((result) => result.released.map((m) => m.peerId)).sort();
      const admittedButGone = attempts.map((m) => m.peerId).filter((peerId) => peerId !== seated[0].peerId).sort();
      expect(released).toEqual(admittedButGone);
    });

    it('forgets a connection whose seat was removed, rebound or cleared', async () => {
      const roomId = freshRoom();
      const removed = member(roomId, 'R');
      const rebound = member(roomId, 'M');
      const cleared = member(freshRoom(), 'C');
      for (const m of [removed, rebound, cleared]) await store.admit(m, 6);
      await store.remove(roomId, removed.peerId);
      await store.rebind(roomId, rebound.peerId, 'resumed-connection', nodeId);
      await store.clear(cleared.roomId);
      for (const old of [removed, rebound, cleared]) {
        expect((await store.admit({ ...member(freshRoom(), 'X'), connectionId: old.connectionId }, 6)).released).toEqual([]);
      }
      const onResumed = { ...member(freshRoom(), 'Y'), connectionId: 'resumed-connection' };
      expect((await store.admit(onResumed, 6)).released).toEqual([{ ...rebound, connectionId: 'resumed-connection' }]);
    });
  });

  it('admits the host key holder over capacity, and still counts them', async () => {
    const roomId = freshRoom();
    await store.admit(member(roomId, 'G1'), 2);
    await store.admit(member(roomId, 'G2'), 2);
    const host = { ...member(roomId, 'Host'), role: 'host' as const };
    expect(await store.admit(host, 2, { bypassCapacity: true })).toMatchObject({ admitted: true });
    expect(await store.count(roomId)).toBe(3);
    expect(await store.admit(member(roomId, 'G3'), 2)).toMatchObject({ admitted: false, reason: 'ROOM_FULL' });
  });

  describe('members of dead processes', () => {
    it('sweeps, in every room, the members of a process whose heartbeat ran out', async () => {
      const dying = `dying-${randomUUID().slice(0, 8)}`;
      await store.heartbeat(dying, 60_000);
      const [roomA, roomB] = [freshRoom(), freshRoom()];
      const alive = member(roomA, 'Alive');
      await store.admit(alive, 6);
      const ghosts = [member(roomA, 'Ghost A', dying), member(roomB, 'Ghost B', dying)];
      for (const ghost of ghosts) await store.admit(ghost, 6);
      expect(await store.sweepDeadNodes()).toEqual([]);

      await store.heartbeat(dying, 1);
      const swept = await sweepUntilSome(store);
      expect(byName(swept)).toEqual(byName(ghosts));
      expect(await store.list(roomA)).toEqual([alive]);
      expect(await store.count(roomB)).toBe(0);
      expect(await store.sweepDeadNodes()).toEqual([]);
    });

    it('gives each swept member to one of several concurrent sweeps', async () => {
      const neverBeat = `never-${randomUUID().slice(0, 8)}`;
      const ghosts = [member(freshRoom(), 'G1', neverBeat), member(freshRoom(), 'G2', neverBeat)];
      for (const ghost of ghosts) await store.admit(ghost, 6);
      const sweeps = await Promise.all([store.sweepDeadNodes(), store.sweepDeadNodes(), store.sweepDeadNodes()]);
      expect(byName(sweeps.flat())).toEqual(byName(ghosts));
    });

    it('removes every member of a restarted process (alive or not) and nobody else', async () => {
      const restarted = `restarted-${randomUUID().slice(0, 8)}`;
      await store.heartbeat(restarted, 60_000);
      const roomId = freshRoom();
      const other = member(roomId, 'Other');
      await store.admit(other, 6);
      const leftovers = [member(roomId, 'L1', restarted), member(freshRoom(), 'L2', restarted)];
      for (const leftover of leftovers) await store.admit(leftover, 6);
      expect(byName(await store.removeNode(restarted))).toEqual(byName(leftovers));
      expect(await store.list(roomId)).toEqual([other]);
      expect(await store.removeNode(restarted)).toEqual([]);
    });

    it('counts a resumed member under the process it resumed on', async () => {
      const [from, to] = [`from-${randomUUID().slice(0, 8)}`, `to-${randomUUID().slice(0, 8)}`];
      await store.heartbeat(to, 60_000);
      const roomId = freshRoom();
      const resumed = member(roomId, 'Resumed', from);
      await store.admit(resumed, 6);
      await store.rebind(roomId, resumed.peerId, 'new-connection', to);
      expect(await store.removeNode(from)).toEqual([]);
      expect(await store.sweepDeadNodes()).toEqual([]);
      expect(await store.removeNode(to)).toEqual([{ ...resumed, connectionId: 'new-connection', nodeId: to }]);
    });
  });
}

/** Sweeps until a heartbeat that was set to run out at once has run out (bounded). */
async function sweepUntilSome(store: MembershipStore, timeoutMs = 3000): Promise<Member[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const swept = await store.sweepDeadNodes();
    if (swept.length > 0 || Date.now() > deadline) return swept;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function byName(members: Member[]): Member[] {
  return [...members].sort((a, b) => a.name.localeCompare(b.name));
}
