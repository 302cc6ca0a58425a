import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { LIMITS } from '@mesh-meet/protocol';
import type { AppConfig } from '../config/config';
import { RedisConnections } from '../redis/redis-connections';
import { makeOriginCheck } from './origin-check';

/**
 * Socket.IO server options that come from configuration (decorator options
 * are static): message size limit, Origin check, and the Redis adapter that
 * carries broadcasts between server processes.
 */
export class SignalingIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: Pick<AppConfig, 'allowedOrigins'>,
    private readonly redis: RedisConnections | undefined,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: LIMITS.maxMessageBytes,
      allowRequest: makeOriginCheck(this.config.allowedOrigins),
      // The browser connects with websocket only (no sticky sessions needed
      // behind a load balancer); polling stays available for old proxies.
      transports: ['websocket', 'polling'],
      pingInterval: 10_000,
      pingTimeout: 10_000,
    }) as Server;
    if (this.redis) server.adapter(this.redis.socketIoAdapter());
    return server;
  }

  /**
   * Nest calls this for every connection with the gateway's @SubscribeMessage
   * handlers. Ours has none (it binds its listeners itself), yet IoAdapter
   * would still build an RxJS disconnect observable per socket (four
   * Observables and their closures, about 0.5 KB per client): with nothing to
   * bind, bind nothing.
   */
  override bindMessageHandlers(...args: Parameters<IoAdapter['bindMessageHandlers']>): void {
    const [, handlers] = args;
    if (handlers.length > 0) super.bindMessageHandlers(...args);
  }
}
