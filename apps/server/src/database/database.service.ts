import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { createDataSource } from './data-source';
import { DatabaseUnavailableError, withTimeout } from './database-unavailable.error';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Owns the DataSource. Connecting and migrating happen at start; when the
 * database is down then, the server still starts, /health says so, and
 * connecting is retried in the background until it succeeds.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  readonly dataSource: DataSource;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly readyListeners: Array<() => Promise<void>> = [];
  /** SQLite operations, one after another (see run). */
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'database'>,
    private readonly logger: AppLogger,
  ) {
    this.dataSource = createDataSource(config.database);
  }

  get kind(): 'sqlite' | 'mysql' {
    return this.config.database.kind;
  }

  get isReady(): boolean {
    return this.dataSource.isInitialized;
  }

  /** Runs `task` once the database is connected and migrated (again after each start). */
  onReady(task: () => Promise<void>): void {
    this.readyListeners.push(task);
  }

  /** Connects and applies pending migrations; resolves even when it fails (retry is scheduled). */
  connect(): Promise<void> {
    this.connecting ??= this.attempt(RETRY_MIN_MS).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async attempt(delayMs: number): Promise<void> {
    if (this.stopped || this.dataSource.isInitialized) return;
    try {
      await this.dataSource.initialize();
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      this.logger.info('database ready', {
        kind: this.kind,
        migrationsApplied: applied.map((migration) => migration.name),
      });
      for (const task of this.readyListeners) await task();
    } catch (error) {
      if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
      this.logger.error('database connection failed; retrying', {
        kind: this.kind,
        retryInMs: delayMs,
        error: describeError(error),
      });
      if (this.stopped) return;
      this.retryTimer = setTimeout(() => {
        void this.attempt(Math.min(delayMs * 2, RETRY_MAX_MS));
      }, delayMs);
      this.retryTimer.unref();
    }
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.dataSource.getRepository(entity);
  }

  /**
   * Runs one database operation with a deadline. Throws DatabaseUnavailableError
   * when not connected, when it fails for a connection reason, or when it is late.
   */
  async run<T>(operation: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    if (!this.dataSource.isInitialized) {
      void this.connect();
      throw new DatabaseUnavailableError(operation, 'not connected');
    }
    const task = () => withTimeout(operation, this.config.database.timeoutMs, work(this.dataSource));
    if (this.kind !== 'sqlite') return task();
    // The embedded database is one connection with one writer: two joins'
    // transactions interleaving on it fail ("cannot start a transaction
    // within a transaction"). Its operations take microseconds, so running
    // them one after another costs nothing; MySQL has a pool and needs none of this.
    const result = this.sqliteQueue.then(task, task);
    this.sqliteQueue = result.catch(() => undefined);
    return result;
  }

  /** A cheap round trip, for /health. */
  async ping(): Promise<boolean> {
    try {
      await this.run('ping', (dataSource) => dataSource.query('SELECT 1'));
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
