import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AttendanceService } from '../attendance/attendance.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { HealthController } from '../health/health.controller';
import { IdentityService } from '../identity/identity.service';
import { AppLogger } from '../logging/app-logger';
import { DeadNodeSweeper } from '../membership/dead-node-sweeper.service';
import { MembershipStore } from '../membership/membership.store';
import { MemoryMembershipStore } from '../membership/memory-membership.store';
import { RedisMembershipStore } from '../membership/redis-membership.store';
import { MetricsService } from '../metrics/metrics.service';
import {
  AddressRateLimiter,
  MemoryAddressRateLimiter,
  RedisAddressRateLimiter,
} from '../rate-limit/address-rate-limiter';
import { RedisConnections } from '../redis/redis-connections';
import { RoomsController } from '../rooms/rooms.controller';
import { MEETING_PROVIDERS } from '../meeting/meeting.providers';
import { RoomsService } from '../rooms/rooms.service';
import { ConnectionLimits } from '../signaling/connection-limits';
import { SignalingGateway } from '../signaling/signaling.gateway';
import { IceServersService } from '../turn/ice-servers.service';
import { NodeLifecycleService } from './node-lifecycle.service';
import { QUALITY_PROVIDERS } from '../quality/quality.providers';

/** The whole server, wired for one configuration (Redis or not). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: AppLogger, redis: RedisConnections | undefined): DynamicModule {
    const shared: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: AppLogger, useValue: logger },
      {
        provide: MembershipStore,
        useValue: redis ? new RedisMembershipStore(redis.commands) : new MemoryMembershipStore(),
      },
      {
        provide: AddressRateLimiter,
        useValue: redis ? new RedisAddressRateLimiter(redis.commands) : new MemoryAddressRateLimiter(),
      },
      ...(redis ? [{ provide: RedisConnections, useValue: redis }] : []),
    ];
    return {
      module: AppModule,
      controllers: [RoomsController, HealthController],
      providers: [
        ...shared,
        DatabaseService,
        MetricsService,
        RoomsService,
        AttendanceService,
        IceServersService,
        IdentityService,
        ...MEETING_PROVIDERS,
        ...QUALITY_PROVIDERS,
        ConnectionLimits,
        SignalingGateway,
        NodeLifecycleService,
        DeadNodeSweeper,
      ],
    };
  }
}
