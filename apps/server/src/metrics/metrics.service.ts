import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '@mesh-meet/protocol';

/** Prometheus metrics of this process (scrape each node; sum across them). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly connectedSockets = new Gauge({
    name: 'meet_connected_sockets',
    help: 'Socket.IO connections open on this process',
    registers: [this.registry],
  });

  readonly activeRooms = new Gauge({
    name: 'meet_active_rooms',
    help: 'Rooms with at least one participant connected to this process',
    registers: [this.registry],
  });

  readonly joins = new Counter({
    name: 'meet_joins_total',
    help: 'Successful joins',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });

  readonly relayedSignals = new Counter({
    name: 'meet_relayed_signals_total',
    help: 'Signal messages relayed to a peer',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly rejections = new Counter({
    name: 'meet_rejections_total',
    help: 'Rejected requests, by event and error code',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });

  readonly roomsCreated = new Counter({
    name: 'meet_rooms_created_total',
    help: 'Rooms created through the API',
    registers: [this.registry],
  });

  readonly qualitySamples = new Counter({
    name: 'meet_quality_samples_total',
    help: 'Call-quality samples accepted by this process, by what became of them',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'meet_' });
  }

  reject(event: string, code: ErrorCode): void {
    this.rejections.inc({ event, code });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
