import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, startChild } from './child-process';
import { SERVER_MAIN } from './paths';
import { freePort } from './ports';

export interface ServerProcess extends Child {
  readonly url: string;
  readonly port: number;
}

/**
 * The built server (dist/apps/server/main.js) as its own process, with an
 * embedded SQLite file in a temporary directory unless DATABASE_URL is given.
 * `PUBLIC_URL` defaults to the URL it is reached at, so browsers' Origin passes.
 */
export async function startServerProcess(
  env: Record<string, string> = {},
  options: {
    maxLifetimeMs?: number;
    /**
     * Run it inside a network namespace (the network lab): `enter` is the
     * command prefix that enters it (`ip netns exec <ns>`), `address` the one
     * it listens on there. PORT must then be given: the host cannot probe for a free one.
     */
    netns?: { enter: readonly string[]; address: string };
  } = {},
): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npx nx build server\` first`);
  const { netns } = options;
  if (netns && !env['PORT']) throw new Error('a server in a network namespace needs its PORT');
  const port = env['PORT'] ? Number(env['PORT']) : await freePort();
  const host = netns?.address ?? '127.0.0.1';
  const url = `http://${host}:${port}`;
  // A temporary SQLite directory of its own, unless the test keeps one across restarts.
  const dataDir = env['DATA_DIR'] ? undefined : mkdtempSync(join(tmpdir(), 'mm-server-data-'));
  const command = netns ? [...netns.enter, process.execPath, SERVER_MAIN] : [process.execPath, SERVER_MAIN];
  const child = startChild('server', command[0], command.slice(1), {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: host,
      PORT: String(port),
      PUBLIC_URL: url,
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      LOG_LEVEL: 'info',
      NODE_ID: `test-server-${port}`,
      ...env,
    },
    ...(options.maxLifetimeMs ? { maxLifetimeMs: options.maxLifetimeMs } : {}),
  });
  if (dataDir) void child.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  await child.waitFor(
    (output) => output.includes('"msg":"listening"') && output.includes('"msg":"database ready"'),
    'listening and database ready',
    // Seconds alone, but a shared or busy machine can take far longer to start Node and Nest.
    60_000,
  );
  return { ...child, url, port };
}
