import { randomUUID } from 'node:crypto';
import type { Member, MembershipStore } from './membership.store';

/** The behaviour every MembershipStore must have; run against memory and against Redis. */
export function membershipStoreContract(makeStore: () => MembershipStore | Promise<MembershipStore>): void {
  let store: MembershipStore;
  const nodeId = `node-${randomUUID().slice(0, 8)}`;
  const member = (roomId: string, name: string, node = nodeId): Member => ({
    peerId: `peer${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    roomId,
    userId: randomUUID(),
    name,
    role: 'guest',
    media: { audio: false, video: false, screen: false },
    participationId: randomUUID(),
    nodeId: node,
    connectionId: randomUUID(),
    resumeTokenHash: 'f'.repeat(64),
    joinedAt: new Date().toISOString(),
  });
  const freshRoom = () => `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;

  beforeEach(async () => {
    store = await makeStore();
    await store.heartbeat(nodeId, 60_000);
  });

  it('admits up to capacity and reports who was there', async () => {
    const roomId = freshRoom();
    const a = member(roomId, 'A');
    const b = member(roomId, 'B');
    expect(await store.admit(a, 2)).toEqual({ admitted: true, others: [], stale: [] });
    expect(await store.admit(b, 2)).toEqual({ admitted: true, others: [a], stale: [] });
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
}
