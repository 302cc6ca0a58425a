import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Builds (does not connect) the DataSource for the configured database. */
export function createDataSource(database: AppConfig['database']): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
  } as const;
  let options: DataSourceOptions;
  if (database.kind === 'sqlite') {
    if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL: readers do not block the writer, and a crash loses nothing committed.
      enableWAL: true,
    };
  } else {
    options = {
      ...common,
      type: 'mysql',
      url: database.url,
      timezone: 'Z',
      charset: 'utf8mb4',
      // Fail fast when MySQL is unreachable or hung instead of letting a join wait:
      // connectTimeout bounds new connections, the query timeout bounds pooled ones.
      connectTimeout: database.timeoutMs,
      enableQueryTimeout: true,
      maxQueryExecutionTime: database.timeoutMs,
      poolSize: 10,
      extra: { enableKeepAlive: true },
    };
  }
  return new DataSource(options);
}
