import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { externalService } from '@mesh-meet/testing';
import type { AppConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import { DatabaseService } from './database.service';

/** For specs: a database of its own, so runs never see each other's rows. */
export interface ScratchDatabase {
  readonly config: AppConfig['database'];
  drop(): Promise<void>;
}

/** A MySQL/MariaDB database created on the server `mysqlUrl` names. */
export async function scratchMysqlDatabase(mysqlUrl: string, timeoutMs = 5000): Promise<ScratchDatabase & { url: string }> {
  const base = new URL(mysqlUrl);
  const name = `mesh_meet_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = await createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    config: { kind: 'mysql', url: url.toString(), timeoutMs },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/** An SQLite file in a fresh temporary directory (a file, so two connections can share it). */
export function scratchSqliteDatabase(timeoutMs = 5000): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-meet-db-'));
  return {
    config: { kind: 'sqlite', path: join(dir, 'meetings.sqlite'), timeoutMs },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The databases a spec runs on: SQLite always, MariaDB/MySQL when
 * MYSQL_TEST_URL is set (`describe.each(scratchBackends())`).
 */
export function scratchBackends(what: string): Array<[string, () => Promise<ScratchDatabase>]> {
  const mysqlUrl = externalService('MYSQL_TEST_URL', what);
  return [
    ['SQLite', async () => scratchSqliteDatabase()],
    ...(mysqlUrl ? [['MariaDB/MySQL', () => scratchMysqlDatabase(mysqlUrl)] as [string, () => Promise<ScratchDatabase>]] : []),
  ];
}

/** A connected and migrated DatabaseService (one process's view); close it with onApplicationShutdown. */
export async function openDatabase(config: AppConfig['database']): Promise<DatabaseService> {
  const database = new DatabaseService({ database: config }, AppLogger.create('silent'));
  await database.connect();
  if (!database.isReady) {
    await database.onApplicationShutdown();
    throw new Error('the scratch database did not connect');
  }
  return database;
}
