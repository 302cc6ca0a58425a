import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { QualityMeasures } from '@mesh-meet/protocol';
import { isOutage } from '../app/outage';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { QualitySampleEntity } from '../database/entities';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { MetricsService } from '../metrics/metrics.service';

/** One accepted sample, tied to the sender's and the other person's attendance rows. */
export interface QualityRow {
  roomId: string;
  fromParticipationId: string;
  toParticipationId: string;
  at: Date;
  measures: QualityMeasures;
}

/** Rows per INSERT: 21 columns each stays far below SQLite's and MySQL's placeholder limits. */
const INSERT_CHUNK = 250;
/** Buffered rows that trigger a flush before the timer (a large server's burst). */
const FLUSH_AT_ROWS = 1000;
/**
 * Rows kept while the database is down, to write once it is back; past it
 * the oldest are dropped (a long outage loses samples, never memory).
 */
const BUFFER_MAX_ROWS = 20_000;
/** How long a meeting's stored count is trusted before it is counted again (other processes add rows too). */
const COUNT_FRESH_MS = 60_000;

/**
 * Writes quality samples in batches: a six-person call sends 30 samples
 * every 10 s, so rows are buffered and inserted together every
 * QUALITY_FLUSH_MS rather than one statement per message. Each meeting
 * keeps at most QUALITY_SAMPLES_PER_MEETING rows: its count is read from the
 * database (again after a minute, since other processes write too) and
 * rows past the cap are dropped, so the cap holds to within what the
 * processes write in a minute. A graceful shutdown writes what is buffered;
 * while the database is unreachable rows wait (up to BUFFER_MAX_ROWS) for it.
 */
@Injectable()
export class QualityRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private buffer: QualityRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly counts = new Map<string, { rows: number; countedAt: number }>();
  private stopped = false;

  constructor(
    private readonly database: DatabaseService,
    private readonly metrics: MetricsService,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'quality'>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.quality.flushMs);
    this.timer.unref();
  }

  /** Queues rows for the next flush (sooner when many are waiting). */
  add(rows: readonly QualityRow[]): void {
    if (this.stopped) return;
    this.buffer.push(...rows);
    if (this.buffer.length > BUFFER_MAX_ROWS) {
      const dropped = this.buffer.length - BUFFER_MAX_ROWS;
      this.buffer.splice(0, dropped);
      this.metrics.qualitySamples.inc({ outcome: 'dropped' }, dropped);
      this.logger.warn('quality samples dropped: the database is not keeping up', { dropped });
    }
    if (this.buffer.length >= FLUSH_AT_ROWS) void this.flush();
  }

  /** Writes what is buffered; one flush at a time. Resolves when the rows buffered now are written (or kept for a retry). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    const done = new Set<QualityRow>();
    try {
      await this.insert(await this.withinCaps(rows), done);
    } catch (error) {
      // The database is down or slow: keep what is not written for the next flush.
      const waiting = rows.filter((row) => !done.has(row));
      this.buffer = [...waiting, ...this.buffer].slice(-BUFFER_MAX_ROWS);
      this.logger.warn('could not store quality samples; will retry', { rows: waiting.length, error: describeError(error) });
    } finally {
      for (const row of done) {
        const count = this.counts.get(row.roomId);
        if (count) count.rows += 1;
      }
    }
  }

  /**
   * Inserts in chunks; returns the rows written. A chunk the database refuses
   * for another reason than an outage (a bug: a row it cannot take) is
   * written row by row, so one bad row costs only itself, never the other
   * meetings' rows of the batch, nor every later flush. An outage throws.
   * `done` collects the rows written or given up on, so a retry repeats none.
   */
  private async insert(rows: QualityRow[], done: Set<QualityRow>): Promise<void> {
    const insert = (chunk: QualityRow[]) =>
      this.database.run('store quality samples', async (dataSource) => {
        await dataSource.getRepository(QualitySampleEntity).insert(chunk.map(toEntity));
      });
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      try {
        await insert(chunk);
        for (const row of chunk) done.add(row);
        this.metrics.qualitySamples.inc({ outcome: 'stored' }, chunk.length);
        continue;
      } catch (error) {
        if (isOutage(error)) throw error;
      }
      let refused = 0;
      for (const row of chunk) {
        try {
          await insert([row]);
          done.add(row);
          this.metrics.qualitySamples.inc({ outcome: 'stored' });
        } catch (error) {
          if (isOutage(error)) throw error;
          done.add(row);
          this.metrics.qualitySamples.inc({ outcome: 'refused' });
          refused += 1;
          if (refused === 1) this.logger.error('a quality sample was refused by the database; dropped', { roomId: row.roomId, error: describeError(error) });
        }
      }
      if (refused > 1) this.logger.error('quality samples refused by the database; dropped', { refused });
    }
  }

  /** The rows each meeting still has room for, in the order received. */
  private async withinCaps(rows: QualityRow[]): Promise<QualityRow[]> {
    const now = Date.now();
    for (const [roomId, count] of this.counts) if (now - count.countedAt > COUNT_FRESH_MS) this.counts.delete(roomId);
    const rooms = [...new Set(rows.map((row) => row.roomId))].filter((roomId) => !this.counts.has(roomId));
    for (const roomId of rooms) {
      const stored = await this.database.run('count quality samples', (dataSource) =>
        dataSource.getRepository(QualitySampleEntity).countBy({ roomId }),
      );
      this.counts.set(roomId, { rows: stored, countedAt: now });
    }
    const room = new Map<string, number>();
    const kept: QualityRow[] = [];
    let dropped = 0;
    for (const row of rows) {
      const taken = room.get(row.roomId) ?? 0;
      if ((this.counts.get(row.roomId)?.rows ?? 0) + taken >= this.config.quality.samplesPerMeeting) {
        dropped += 1;
        continue;
      }
      room.set(row.roomId, taken + 1);
      kept.push(row);
    }
    if (dropped > 0) this.metrics.qualitySamples.inc({ outcome: 'over-cap' }, dropped);
    return kept;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.stopped = true;
  }
}

function toEntity(row: QualityRow): QualitySampleEntity {
  const measures = row.measures;
  return {
    id: randomUUID(),
    roomId: row.roomId,
    fromParticipationId: row.fromParticipationId,
    toParticipationId: row.toParticipationId,
    at: row.at,
    windowSec: measures.windowSec,
    rttMs: measures.rttMs,
    lossIn: measures.lossIn,
    lossOut: measures.lossOut,
    jitterMs: measures.jitterMs,
    bitrateIn: measures.bitrateIn,
    bitrateOut: measures.bitrateOut,
    fpsIn: measures.fpsIn,
    frameHeightIn: measures.frameHeightIn,
    freezeCount: measures.freezeCount,
    totalFreezesDuration: measures.totalFreezesDuration,
    localCandidateType: measures.localCandidateType,
    remoteCandidateType: measures.remoteCandidateType,
    relayProtocol: measures.relayProtocol,
    qualityLimitationReason: measures.qualityLimitationReason,
    iceRestarts: measures.iceRestarts,
  };
}
