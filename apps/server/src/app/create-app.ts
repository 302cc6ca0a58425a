import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../config/config';
import { crossSiteGuard } from '../http/cross-site-guard';
import { HttpErrorFilter } from '../http/http-errors';
import { jsonBody } from '../http/json-body';
import { requestLogging } from '../http/request-logging';
import { securityHeaders } from '../http/security-headers';
import { findWebDir, webApp } from '../http/web-app';
import type { AppLogger } from '../logging/app-logger';
import { RedisConnections } from '../redis/redis-connections';
import { SignalingIoAdapter } from '../signaling/signaling-io.adapter';
import { AppModule } from './app.module';

/** Builds the app for a configuration; used by main.ts and by the end-to-end tests. */
export async function createApp(config: AppConfig, logger: AppLogger): Promise<NestExpressApplication> {
  const redis = config.redisUrl ? new RedisConnections(config.redisUrl, logger) : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger, redis), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  // The compiled TRUST_PROXY: request.ip is what sockets get from clientAddress().
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(securityHeaders(config));
  app.use(requestLogging(logger));
  app.use('/api', crossSiteGuard(config));
  // Requests are small; a large body is refused before it is parsed.
  app.use('/api', jsonBody('8kb'));
  const webDir = findWebDir(config.webDir);
  if (webDir) app.use(webApp(webDir));
  else logger.warn('web app not built; serving the API only', { hint: 'npm run build' });
  app.useGlobalFilters(new HttpErrorFilter(logger));
  app.useWebSocketAdapter(new SignalingIoAdapter(app, config, redis));
  app.enableShutdownHooks();
  // The Redis connections close in their own onApplicationShutdown hook.
  return app;
}
