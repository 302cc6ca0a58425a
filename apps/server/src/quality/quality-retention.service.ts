import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { QualitySampleEntity } from '../database/entities';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';

/** How often old samples are pruned after the one at start. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * Rows deleted per statement: each delete stays well inside the database
 * timeout even on a table a busy server filled for a month, and other writes
 * get their turn between them.
 */
const PRUNE_BATCH = 1000;

/**
 * Keeps call-quality samples for QUALITY_RETENTION_DAYS: deletes older ones
 * when the database is ready (each start) and every hour. With several
 * processes each prunes; deleting a row twice is nothing.
 */
@Injectable()
export class QualityRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: DatabaseService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'quality'>,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: a start after a long pause may have much to delete, and the server need not wait for it.
    this.database.onReady(async () => void this.pruneAndLog());
    // Already connected (registered after the first connect): prune now too.
    if (this.database.isReady) void this.pruneAndLog();
    this.timer = setInterval(() => {
      if (this.database.isReady) void this.pruneAndLog();
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes the samples received before `now` less the retention; returns how many. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.quality.retentionDays * 24 * 60 * 60 * 1000);
    let deleted = 0;
    for (;;) {
      const batch = await this.database.run('prune quality samples', async (dataSource) => {
        const samples = dataSource.getRepository(QualitySampleEntity);
        const old = await samples.find({ select: { id: true }, where: { at: LessThan(cutoff) }, take: PRUNE_BATCH });
        if (old.length > 0) await samples.delete({ id: In(old.map((row) => row.id)) });
        return old.length;
      });
      deleted += batch;
      if (batch < PRUNE_BATCH) return deleted;
    }
  }

  private async pruneAndLog(): Promise<void> {
    try {
      const deleted = await this.prune();
      if (deleted > 0) this.logger.info('pruned old quality samples', { deleted, retentionDays: this.config.quality.retentionDays });
    } catch (error) {
      this.logger.warn('could not prune quality samples', { error: describeError(error) });
    }
  }
}
