import type { OnApplicationShutdown } from '@nestjs/common';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { AppLogger } from '../logging/app-logger';

/**
 * The Redis clients of one process: `commands` for membership and rate
 * limits, `publisher`/`subscriber` for the Socket.IO adapter (a subscribed
 * connection can issue no other commands).
 */
export class RedisConnections implements OnApplicationShutdown {
  readonly commands: Redis;
  readonly publisher: Redis;
  readonly subscriber: Redis;

  constructor(url: string, logger: AppLogger) {
    const options = {
      // Fail commands quickly while Redis is down instead of queueing them forever.
      maxRetriesPerRequest: 2,
      connectTimeout: 3000,
      enableOfflineQueue: true,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 5000),
    };
    this.commands = new Redis(url, options);
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    let reported = false;
    for (const client of [this.commands, this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => {
        // One line per outage, not one per retry.
        if (!reported) logger.warn('redis connection error', { error: error.message });
        reported = true;
      });
      client.on('ready', () => {
        if (reported) logger.info('redis connection restored');
        reported = false;
      });
    }
  }

  /**
   * Sharded Pub/Sub (Redis 7): room broadcasts travel on a channel per room,
   * so a process only receives the traffic of rooms it has members in.
   * (Not with an ioredis Cluster client; a single Redis or a node-redis cluster.)
   */
  socketIoAdapter() {
    return createShardedAdapter(this.publisher, this.subscriber, {
      channelPrefix: 'mm-io',
      subscriptionMode: 'dynamic',
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.commands.quit(), this.publisher.quit(), this.subscriber.quit()]);
  }

  /**
   * Nest calls this last when the app closes (after the gateway's
   * beforeApplicationShutdown, which still needs Redis to tell rooms who left).
   * A hook, because Nest's app object is a Proxy whose `set` trap drops
   * assignments: an overridden `app.close` never ran, and the connections
   * stayed open.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
