import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseService } from '../database/database.service';
import { MembershipStore } from '../membership/membership.store';
import { MetricsService } from '../metrics/metrics.service';
import { RedisConnections } from '../redis/redis-connections';
import { Optional } from '@nestjs/common';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  redis?: 'up' | 'down';
}

/** Liveness and readiness for compose healthchecks and load balancers, and Prometheus metrics. */
@Controller()
export class HealthController {
  constructor(
    private readonly database: DatabaseService,
    private readonly store: MembershipStore,
    private readonly metrics: MetricsService,
    @Optional() private readonly redis?: RedisConnections,
  ) {}

  @Get('health')
  async health(@Res() response: Response): Promise<void> {
    const [databaseUp, redisUp] = await Promise.all([
      this.database.ping(),
      this.redis ? this.store.ping() : Promise.resolve(true),
    ]);
    const report: HealthReport = {
      status: databaseUp && redisUp ? 'ok' : 'degraded',
      database: databaseUp ? 'up' : 'down',
      ...(this.redis ? { redis: redisUp ? ('up' as const) : ('down' as const) } : {}),
    };
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async prometheus(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    response.setHeader('Content-Type', contentType);
    response.send(body);
  }
}
