import { Redis } from 'ioredis';
import { describeWith, externalService, waitFor } from '@mesh-meet/testing';
import { membershipStoreContract } from './membership-store.contract';
import type { Member } from './membership.store';
import { RedisMembershipStore } from './redis-membership.store';

const redisUrl = externalService('REDIS_TEST_URL', 'Redis membership');

describeWith(redisUrl)('RedisMembershipStore (real Redis)', () => {
  const clients: Redis[] = [];
  const makeStore = () => {
    const client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return new RedisMembershipStore(client);
  };
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  membershipStoreContract(makeStore);

  it('drops members of a process that stopped heartbeating, and says who they were', async () => {
    const store = makeStore();
    const roomId = `tst-dead-${Date.now()}`;
    const member = (name: string, nodeId: string): Member => ({
      peerId: `peer${name}${Date.now()}`,
      roomId,
      userId: '00000000-0000-4000-8000-000000000000',
      name,
      role: 'guest',
      media: { audio: false, video: false, screen: false },
      participationId: `p-${name}`,
      nodeId,
      connectionId: `c-${name}`,
      resumeTokenHash: '0'.repeat(64),
      joinedAt: new Date().toISOString(),
    });
    await store.heartbeat('alive-node', 60_000);
    await store.heartbeat('dying-node', 60_000);
    const ghost = member('Ghost', 'dying-node');
    await store.admit(ghost, 2);
    await store.admit(member('Alive', 'alive-node'), 2);
    // The dying node stops heartbeating: its key runs out (here: at once, not after a wait that load could stretch).
    await clients[clients.length - 1].pexpire('mm:node:dying-node', 1);
    await waitFor(async () => (await clients[clients.length - 1].exists('mm:node:dying-node')) === 0, {
      what: 'the dying node\'s heartbeat key to expire',
      timeoutMs: 3000,
      intervalMs: 20,
    });
    const result = await store.admit(member('Newcomer', 'alive-node'), 2);
    expect(result).toMatchObject({ admitted: true, stale: [ghost] });
    expect(result.admitted && result.others.map((m) => m.name)).toEqual(['Alive']);
  });
});
