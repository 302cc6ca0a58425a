import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerProcess, WEB_DIR, startServerProcess } from '@mesh-meet/testing';

export type AppServer = ServerProcess;

/** The built server serving the built web app, as users get it, on a free port with a fresh SQLite file. */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    throw new Error(`${WEB_DIR} is missing: run \`npx nx run-many -t build -p server web\` first`);
  }
  // One server serves a whole spec file of browser tests: its lifetime bound is the file's, not one test's.
  return startServerProcess({ WEB_DIR, JOIN_PER_MINUTE: '1000', ROOM_CREATE_PER_MINUTE: '1000', ...env }, { maxLifetimeMs: 15 * 60_000 });
}
