import { z } from 'zod';
import { LIMITS } from '@mesh-meet/protocol';
import { type TrustProxy, compileTrustProxy } from '../rate-limit/client-address';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const csvItems = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const csv = z
  .string()
  .optional()
  .transform((value) => csvItems(value ?? ''));

const origin = z.url().transform((value, ctx) => {
  const parsed = new URL(value);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    return z.NEVER;
  }
  return parsed.origin;
});

/** Every variable the server reads, with its default. The README lists them. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to bind; 0.0.0.0 so a phone on the same network or a proxy can reach it. */
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => !value || /^(mysql|mariadb):\/\//.test(value) || /^sqlite:/.test(value), {
      message: 'must be mysql://user:password@host:port/database or sqlite:<path>',
    }),
  /** Where the embedded SQLite file lives when DATABASE_URL is absent. */
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .optional()
    .refine((value) => !value || /^rediss?:\/\//.test(value), { message: 'must be redis://host:port' }),
  STUN_URLS: csv.pipe(z.array(z.string().regex(/^stuns?:/, 'each must start with stun: or stuns:'))),
  TURN_URLS: csv.pipe(z.array(z.string().regex(/^turns?:/, 'each must start with turn: or turns:'))),
  TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TURN_TTL: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(6 * 3600),
  /** Upstream budget each browser splits between its peers (kbit/s). */
  UPSTREAM_BUDGET_KBPS: z.coerce.number().int().min(300).max(20000).default(2500),
  /** 'relay' makes every browser send media through TURN only. */
  ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
  MAX_PARTICIPANTS: z.coerce
    .number()
    .int()
    .min(2)
    .max(LIMITS.maxParticipantsCeiling)
    .default(LIMITS.defaultMaxParticipants),
  ALLOWED_ORIGINS: csv.pipe(z.array(origin)),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** When set, GET /metrics needs `Authorization: Bearer <token>` (the proxy exposes every path). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Trust X-Forwarded-* from a reverse proxy (https-portal): true, false, a hop
   * count, or a comma list of proxy addresses/subnets (`loopback`, `10.0.0.0/8`)
   * as Express's `trust proxy` takes it. Compiled once, for REST and sockets alike.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const setting = value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : csvItems(value);
      try {
        return compileTrustProxy(setting);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count or a list of addresses/subnets' });
        return z.NEVER;
      }
    }),
  /** Origins that may embed the app in a frame (CSP frame-ancestors); none by default. */
  FRAME_ANCESTORS: csv.pipe(z.array(origin)),
  /** Room creations and joins one client address may make per minute. */
  ROOM_CREATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(20),
  JOIN_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(60),
  /** Stable name of this server process, for attendance recovery after a crash. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** Directory of the built web app; absent: dist/apps/web/browser when it exists. */
  WEB_DIR: z.string().optional(),
  /** How long a dropped connection keeps its place for a resume (ms); 0 leaves at once. */
  RECONNECT_GRACE_MS: z.coerce.number().int().min(0).max(120000).default(10000),
  /**
   * Open sockets one client address may hold on this process (a per-process
   * count: with several processes an address may hold this many on each).
   * Generous, since a school or office shares one address behind NAT.
   */
  MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100000).default(50),
  /** A connection not in a meeting is closed after this long (ms): the lobby opens the socket early. */
  JOIN_DEADLINE_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  /** How long a database call may take before a join fails with UNAVAILABLE (ms). */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
  /**
   * Signs the identities the server issues to browsers. Absent: one is
   * generated once and kept in the database, so every process and restart agree.
   */
  IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Days call-quality samples are kept; older ones are deleted (at start and every hour). */
  QUALITY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Samples one meeting may keep; past it later samples are dropped (the report says truncated). */
  QUALITY_SAMPLES_PER_MEETING: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  /** How long received samples wait to be written together (ms): one insert for many, not one per message. */
  QUALITY_FLUSH_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly database:
    | { readonly kind: 'sqlite'; readonly path: string; readonly timeoutMs: number }
    | { readonly kind: 'mysql'; readonly url: string; readonly timeoutMs: number };
  readonly redisUrl: string | undefined;
  readonly ice: {
    readonly stunUrls: readonly string[];
    readonly turnUrls: readonly string[];
    readonly turnSecret: string | undefined;
    readonly turnTtlSeconds: number;
    readonly transportPolicy: 'all' | 'relay';
  };
  readonly maxParticipants: number;
  readonly upstreamBudgetBps: number;
  readonly allowedOrigins: readonly string[];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly metricsToken: string | undefined;
  readonly trustProxy: TrustProxy;
  readonly frameAncestors: readonly string[];
  readonly rateLimits: { readonly roomCreatePerMinute: number; readonly joinPerMinute: number };
  readonly nodeId: string;
  readonly webDir: string | undefined;
  readonly reconnectGraceMs: number;
  readonly connectionLimits: { readonly maxSocketsPerAddress: number; readonly joinDeadlineMs: number };
  /** Never logged; undefined: the secret kept in the database (IdentityService). */
  readonly identitySecret: string | undefined;
  readonly quality: { readonly retentionDays: number; readonly samplesPerMeeting: number; readonly flushMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once, at start. A bad value throws a
 * ConfigError naming the variable (never its value: it may be a secret).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, hostname = 'node'): AppConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if (e.ICE_TRANSPORT_POLICY === 'relay' && e.TURN_URLS.length === 0) {
    throw new ConfigError(['ICE_TRANSPORT_POLICY: relay needs TURN_URLS and TURN_SECRET']);
  }
  if (e.TURN_URLS.length > 0 && !e.TURN_SECRET) {
    throw new ConfigError(['TURN_SECRET: required when TURN_URLS is set (coturn use-auth-secret)']);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const timeoutMs = e.DATABASE_TIMEOUT_MS;
  const database: AppConfig['database'] = !e.DATABASE_URL
    ? { kind: 'sqlite', path: `${e.DATA_DIR.replace(/\/+$/, '')}/meetings.sqlite`, timeoutMs }
    : e.DATABASE_URL.startsWith('sqlite:')
      ? { kind: 'sqlite', path: e.DATABASE_URL.slice('sqlite:'.length), timeoutMs }
      : { kind: 'mysql', url: e.DATABASE_URL.replace(/^mariadb:/, 'mysql:'), timeoutMs };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    database,
    redisUrl: e.REDIS_URL,
    ice: {
      stunUrls: e.STUN_URLS,
      turnUrls: e.TURN_URLS,
      turnSecret: e.TURN_SECRET,
      turnTtlSeconds: e.TURN_TTL,
      transportPolicy: e.ICE_TRANSPORT_POLICY,
    },
    maxParticipants: e.MAX_PARTICIPANTS,
    upstreamBudgetBps: e.UPSTREAM_BUDGET_KBPS * 1000,
    allowedOrigins: [new URL(publicUrl).origin, ...e.ALLOWED_ORIGINS],
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
    frameAncestors: e.FRAME_ANCESTORS,
    rateLimits: { roomCreatePerMinute: e.ROOM_CREATE_PER_MINUTE, joinPerMinute: e.JOIN_PER_MINUTE },
    nodeId: e.NODE_ID ?? hostname.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64),
    webDir: e.WEB_DIR,
    reconnectGraceMs: e.RECONNECT_GRACE_MS,
    connectionLimits: { maxSocketsPerAddress: e.MAX_SOCKETS_PER_ADDRESS, joinDeadlineMs: e.JOIN_DEADLINE_MS },
    identitySecret: e.IDENTITY_SECRET,
    quality: {
      retentionDays: e.QUALITY_RETENTION_DAYS,
      samplesPerMeeting: e.QUALITY_SAMPLES_PER_MEETING,
      flushMs: e.QUALITY_FLUSH_MS,
    },
  };
}

/** Nest injection token for the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
