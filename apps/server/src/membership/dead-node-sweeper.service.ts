import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { describeError } from '../logging/describe-error';
import { AppLogger } from '../logging/app-logger';
import { DepartureAnnouncer } from './departure-announcer';
import { MEMBERSHIP_TTL_MS, SWEEP_INTERVAL_MS } from './liveness';
import { type Member, MembershipStore } from './membership.store';

/**
 * Keeps seats from outliving their process. At start it drops what an earlier
 * run under this NODE_ID left (nobody else would: this id is alive again);
 * then every SWEEP_INTERVAL_MS it removes the members of processes whose
 * heartbeat ran out, in every room, and has them announced as disconnected.
 */
@Injectable()
export class DeadNodeSweeper implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<Member[]> | undefined;

  constructor(
    private readonly store: MembershipStore,
    private readonly announcer: DepartureAnnouncer,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'nodeId'>,
  ) {}

  /*
   * onModuleInit runs before any onApplicationBootstrap, so the leftovers are
   * gone before NodeLifecycleService connects the database and its crash
   * recovery asks the store who is still in a meeting. A store that cannot
   * be reached stops the start, as the first membership heartbeat does.
   */
  async onModuleInit(): Promise<void> {
    const leftovers = await this.store.removeNode(this.config.nodeId);
    if (leftovers.length === 0) return;
    this.logger.warn('removed members left by a previous run of this node', { nodeId: this.config.nodeId, removed: leftovers.length });
    await this.announce(leftovers);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One sweep (never two at once); resolves with the members it removed and announced. */
  sweep(): Promise<Member[]> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<Member[]> {
    try {
      // This process is evidently alive: beating first keeps a stalled event loop
      // (a heartbeat timer that fired late) from sweeping its own members.
      await this.store.heartbeat(this.config.nodeId, MEMBERSHIP_TTL_MS);
      const dead = await this.store.sweepDeadNodes();
      if (dead.length > 0) {
        this.logger.info('removed members of stopped nodes', { nodes: [...new Set(dead.map((m) => m.nodeId))], removed: dead.length });
        await this.announce(dead);
      }
      return dead;
    } catch (error) {
      this.logger.warn('dead node sweep failed', { error: describeError(error) });
      return [];
    }
  }

  private async announce(members: Member[]): Promise<void> {
    try {
      await this.announcer.announce(members, 'disconnected');
    } catch (error) {
      this.logger.warn('announcing departures failed', { removed: members.length, error: describeError(error) });
    }
  }
}
