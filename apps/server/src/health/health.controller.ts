import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
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
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'metricsToken'>,
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
  async prometheus(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    // Not public by default: without METRICS_TOKEN the path does not exist.
    if (!this.config.metricsToken) {
      response.status(404).json({ code: 'INVALID_PAYLOAD', message: 'metrics are off; set METRICS_TOKEN to scrape them' });
      return;
    }
    if (!bearerMatches(authorization, this.config.metricsToken)) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      response.status(401).json({ code: 'FORBIDDEN', message: 'metrics need the METRICS_TOKEN as a bearer token' });
      return;
    }
    const { contentType, body } = await this.metrics.render();
    response.setHeader('Content-Type', contentType);
    response.send(body);
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
