/** The systems under test as processes: our built server, and the two baselines. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVER_MAIN, WEB_DIR, freePort, repoPath, waitForHttp } from '@mesh-meet/testing';
import { type Managed, spawnManaged } from './processes';

const BENCH_DIST = repoPath('dist/apps/bench');

export interface RunningServer {
  name: string;
  /** What a browser opens (ours: the PUBLIC_URL, which the WebSocket Origin check compares with). */
  url: string;
  /** The same server by address, for the load generator (no name lookup, no Origin). */
  directUrl: string;
  managed: Managed;
}

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mesh-meet-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=test-output/bench/profiles' profiles every server. */
function serverNodeArgs(): string[] {
  return (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
}

/**
 * The Node options a build of our server is started with in production (the
 * node-args.json its build put beside main.js; none for builds older than that
 * file), so a reference build runs as it was deployed too.
 */
function productionNodeArgs(main: string): string[] {
  const file = join(dirname(main), 'node-args.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { args: string[] }).args : [];
}

/**
 * Our server as operators run it (dist/apps/server/main.js and its Node options), with the limits
 * per address raised: every bench client comes from 127.0.0.1, which would
 * otherwise be one person creating thousands of rooms. LOG_LEVEL stays
 * `info`, the default, so a join costs its log line as in production.
 */
export async function startOurs(
  name: string,
  options: { redisUrl?: string; databaseUrl?: string; nodeId?: string; env?: Record<string, string>; main?: string } = {},
): Promise<RunningServer> {
  const main = options.main ?? SERVER_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx run-many -t build -p server web)`);
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const managed = spawnManaged(name, process.execPath, [...serverNodeArgs(), ...productionNodeArgs(main), main], {
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: tempDir(name),
      WEB_DIR,
      LOG_LEVEL: 'info',
      JOIN_PER_MINUTE: '100000',
      ROOM_CREATE_PER_MINUTE: '100000',
      RECONNECT_GRACE_MS: '0',
      NODE_ID: options.nodeId ?? `bench-${name}-${port}`,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
  });
  const directUrl = `http://127.0.0.1:${port}`;
  // Healthy means migrated: the next process on the same database must not race the migrations.
  await waitForHttp(`${directUrl}/health`, { child: managed, requireOk: true });
  return { name, url, directUrl, managed };
}

/** A baseline relay built from apps/bench/src/relay/*.ts. */
export async function startBaseline(name: string, script: 'plain-relay' | 'peerjs-relay'): Promise<RunningServer> {
  const file = join(BENCH_DIST, `${script}.mjs`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = spawnManaged(name, process.execPath, [...serverNodeArgs(), file], { env: { PORT: String(port) } });
  await waitForHttp(url, { child: managed });
  return { name, url, directUrl: url, managed };
}

export function startGeneratorProcess(name: string): Managed {
  return spawnManaged(name, process.execPath, [join(BENCH_DIST, 'load-generator.mjs')], { ipc: true });
}
