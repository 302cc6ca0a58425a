import type { DeliveryCount, LatencySummary } from '../stats';

/** A set of clients on one system under test, in rooms of `perRoom`. */
export interface GroupSpec {
  name: string;
  /** `socketio`: ours and the plain relay (namespace /signaling, `join` then `signal`); `peerjs`: PeerJS server. */
  protocol: 'socketio' | 'peerjs';
  /** Base URLs; clients are spread over them in turn. */
  servers: string[];
  rooms: number;
  perRoom: number;
  /** Create each room through `POST /api/rooms` (ours) or make up room ids (the baselines). */
  createRooms: boolean;
  /** Connections and joins in flight at once. */
  concurrency: number;
}

export interface SetupResult {
  clients: number;
  failures: number;
  roomsMs: number;
  connectMs: number;
  joinMs: number;
}

export interface RunResult extends DeliveryCount {
  rate: number;
  plannedMessages: number;
  misdelivered: number;
  /** Frames of an earlier step that arrived during this one (late, counted lost there). */
  stray: number;
  latency: LatencySummary;
  sendMs: number;
  wallMs: number;
  /** How far the generator fell behind its schedule at worst. */
  maxLagMs: number;
  generatorCpuPercent: number;
  generatorLoopDelayP99Ms: number;
}

export type GeneratorRequest =
  | { type: 'setup'; spec: GroupSpec }
  | { type: 'run'; group: string; rate: number; durationMs: number; drainMs: number }
  | { type: 'close'; group: string }
  | { type: 'memory' };

export type GeneratorReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
