import { describeWith, externalService, waitFor } from '@mesh-meet/testing';
import { startTestServer } from '../testing/test-server';
import { RedisConnections } from './redis-connections';

const redisUrl = externalService('REDIS_TEST_URL', 'Redis');

describeWith(redisUrl)('the Redis connections of an app (real Redis)', () => {
  it('are closed when the app closes, so a stopped app holds no socket to Redis', async () => {
    const server = await startTestServer({ REDIS_URL: redisUrl as string });
    const redis = server.app.get(RedisConnections);
    const clients = [redis.commands, redis.publisher, redis.subscriber];
    expect(clients.map((client) => client.status)).toEqual(['ready', 'ready', 'ready']);
    await server.close();
    // QUIT is answered before the socket is gone: wait for the state, not a guess.
    await waitFor(() => clients.every((client) => client.status === 'end'), {
      what: 'every Redis connection of the closed app to end',
      timeoutMs: 5000,
    });
  });
});
