import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AttendanceService } from '../attendance/attendance.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AppLogger } from '../logging/app-logger';
import { describeError } from '../logging/describe-error';
import { MembershipStore } from '../membership/membership.store';

/** Membership heartbeat: other processes drop this one's members when it stops for this long. */
export const MEMBERSHIP_TTL_MS = 15_000;
const MEMBERSHIP_BEAT_MS = 5_000;
/** Database heartbeat: bounds how far a crash can overstate attendance. */
const DATABASE_BEAT_MS = 15_000;

/**
 * What this process does for the others: it says it is alive (Redis and the
 * database), and at start it closes attendance rows it left open in a crash.
 */
@Injectable()
export class NodeLifecycleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly database: DatabaseService,
    private readonly attendance: AttendanceService,
    private readonly store: MembershipStore,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'nodeId'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.database.onReady(async () => {
      const closed = await this.attendance.recoverAfterCrash();
      if (closed > 0) this.logger.warn('closed attendance left open by a previous run', { nodeId: this.config.nodeId, closed });
      await this.attendance.heartbeat();
    });
    await this.beatMembership();
    this.every(MEMBERSHIP_BEAT_MS, () => this.beatMembership());
    this.every(DATABASE_BEAT_MS, async () => {
      if (this.database.isReady) await this.attendance.heartbeat();
    });
    await this.database.connect();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  private async beatMembership(): Promise<void> {
    await this.store.heartbeat(this.config.nodeId, MEMBERSHIP_TTL_MS);
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      task().catch((error: unknown) => this.logger.warn('heartbeat failed', { error: describeError(error) }));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
