import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWith, externalService } from '@mesh-meet/testing';
import { RedisWaitingRoomStore } from './redis-waiting-room.store';
import { waitingRoomStoreContract } from './waiting-room-store.contract';

const redisUrl = externalService('REDIS_TEST_URL', 'Redis waiting room');

describeWith(redisUrl)('RedisWaitingRoomStore (real Redis)', () => {
  const runPrefix = `wr-test-${process.pid}-${randomUUID().slice(0, 8)}`;
  const clients: Redis[] = [];
  const makeStore = async () => {
    const client = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    clients.push(client);
    // The processes the contract's requests name are alive (their membership heartbeat keys).
    for (const node of ['node-a', 'node-b']) await client.set(`${runPrefix}:node:${node}`, '1', 'PX', 600_000);
    return new RedisWaitingRoomStore(client, { prefix: `${runPrefix}:` });
  };
  afterAll(async () => {
    const keys = await clients[0].keys(`${runPrefix}:*`);
    if (keys.length > 0) await clients[0].del(...keys);
    await Promise.all(clients.map((client) => client.quit()));
  });

  waitingRoomStoreContract(makeStore);

  it('shows no request held by a process that stopped heartbeating', async () => {
    const store = await makeStore();
    const roomId = `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;
    const now = Date.now();
    const request = (requestId: string, nodeId: string) => ({
      requestId,
      roomId,
      userId: randomUUID(),
      name: nodeId,
      nodeId,
      connectionId: `conn-${requestId}`,
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
    });
    await store.request(request('RqAlive0000001', 'node-a'));
    await store.request(request('RqGhost0000001', 'node-crashed'));
    expect((await store.list(roomId)).map((r) => r.name)).toEqual(['node-a']);
    expect(await store.take(roomId, 'RqGhost0000001')).toBeNull();
  });

  it('lets a room\'s keys expire by themselves after its newest request lapses', async () => {
    const store = await makeStore();
    const roomId = `tst-${randomUUID().slice(0, 4)}-${randomUUID().slice(0, 3)}`;
    const now = Date.now();
    await store.request({
      requestId: 'RqTtl000000001',
      roomId,
      userId: randomUUID(),
      name: 'Ttl',
      nodeId: 'node-a',
      connectionId: 'conn-a',
      requestedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 120_000).toISOString(),
    });
    const ttl = await clients[0].pttl(`${runPrefix}:wait:{${roomId}}:requests`);
    expect(ttl).toBeGreaterThan(120_000);
    expect(ttl).toBeLessThanOrEqual(180_000);
  });
});
