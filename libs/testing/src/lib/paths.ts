import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The repository root: the nearest directory above this file (jest runs the
 * TypeScript as CommonJS, so `__dirname` is there) or, in an ES module bundle
 * without `__dirname` (the bench), above the working directory, that holds
 * nx.json. Tests and the bench may be started from any directory inside it.
 */
function findRepoRoot(): string {
  const start = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${start}: run from inside the repository`);
  }
}

export const REPO_ROOT = findRepoRoot();
export const repoPath = (...parts: string[]): string => resolve(REPO_ROOT, ...parts);

/** What `npx nx build server` and `npx nx build web` produce (the test target depends on both). */
export const SERVER_MAIN = repoPath('dist/apps/server/main.js');
export const WEB_DIR = repoPath('dist/apps/web/browser');
