import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../app/create-app';
import { loadConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import { DatabaseService } from '../database/database.service';

export interface TestServer {
  url: string;
  app: NestExpressApplication;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real app on a free port with a fresh SQLite file (or the given env),
 * logging to nowhere unless TEST_LOGS is set or `log` collects the lines.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  log?: { write(line: string): void },
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mesh-meet-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://localhost:3000',
    LOG_LEVEL: process.env['TEST_LOGS'] || log ? 'debug' : 'silent',
    WEB_DIR: join(dataDir, 'no-web'),
    NODE_ID: `test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    ...env,
  });
  const logger = AppLogger.create(config.logLevel, log);
  const app = await createApp(config, logger);
  await app.listen(0, '127.0.0.1');
  await app.get(DatabaseService).connect();
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
