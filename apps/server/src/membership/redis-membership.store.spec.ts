import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWith, externalService, waitFor } from '@mesh-meet/testing';
import { memberFixture } from './member.fixture';
import { membershipStoreContract } from './membership-store.contract';
import type { Member } from './membership.store';
import { RedisMembershipStore } from './redis-membership.store';

const redisUrl = externalService('REDIS_TEST_URL', 'Redis membership');

describeWith(redisUrl)('RedisMembershipStore (real Redis)', () => {
  /* Keys of their own: a sweep here must never take another suite's (or process's) members. */
  const runPrefix = `mm-test-${process.pid}-${randomUUID().slice(0, 8)}`;
  const clients: Redis[] = [];
  const makeStore = (prefix = `${runPrefix}-${randomUUID().slice(0, 8)}:`) => {
    const client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return { client, prefix, store: new RedisMembershipStore(client, { prefix }) };
  };
  afterAll(async () => {
    const keys = await clients[0].keys(`${runPrefix}-*`);
    if (keys.length > 0) await clients[0].del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  membershipStoreContract(() => makeStore().store);

  it('drops members of a process that stopped heartbeating at the next admit, and says who they were', async () => {
    const { client, prefix, store } = makeStore();
    const roomId = `tst-dead-${Date.now()}`;
    const member = (name: string, nodeId: string): Member => memberFixture({ roomId, name, nodeId });
    await store.heartbeat('alive-node', 60_000);
    await store.heartbeat('dying-node', 60_000);
    const ghost = member('Ghost', 'dying-node');
    await store.admit(ghost, 2);
    await store.admit(member('Alive', 'alive-node'), 2);
    // The dying node stops heartbeating: its key runs out (here: at once, not after a wait that load could stretch).
    await client.pexpire(`${prefix}node:dying-node`, 1);
    await waitFor(async () => (await client.exists(`${prefix}node:dying-node`)) === 0, {
      what: "the dying node's heartbeat key to expire",
      timeoutMs: 3000,
      intervalMs: 20,
    });
    const result = await store.admit(member('Newcomer', 'alive-node'), 2);
    expect(result).toMatchObject({ admitted: true, stale: [ghost] });
    expect(result.admitted && result.others.map((m) => m.name)).toEqual(['Alive']);
    // Dropped from the indexes too: a later sweep does not announce the ghost a second time.
    expect(await store.sweepDeadNodes()).toEqual([]);
  });

  it('uses the mm: keys by default, where earlier releases kept membership', async () => {
    const { client } = makeStore();
    const store = new RedisMembershipStore(client);
    const roomId = `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;
    const member = memberFixture({ roomId, name: 'Default', nodeId: `default-${randomUUID().slice(0, 8)}` });
    await store.admit(member, 6);
    try {
      expect(await client.hexists(`mm:room:{${roomId}}:members`, member.peerId)).toBe(1);
    } finally {
      expect(await store.removeNode(member.nodeId)).toEqual([member]);
    }
  });
});
