import 'reflect-metadata';
import { hostname } from 'node:os';
import { createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config/config';
import { AppLogger } from './logging/app-logger';
import { IceServersService } from './turn/ice-servers.service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, hostname());
  } catch (error) {
    if (error instanceof ConfigError) {
      // Plain stderr: the logger's level itself may be what is misconfigured.
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = AppLogger.create(config.logLevel);
  const app = await createApp(config, logger);
  await app.listen(config.port, config.host);
  logger.info('listening', {
    url: config.publicUrl,
    port: config.port,
    database: config.database.kind,
    redis: Boolean(config.redisUrl),
    turn: app.get(IceServersService).turnEnabled,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
