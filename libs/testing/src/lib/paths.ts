import { resolve } from 'node:path';

/** The repository root (tests run from any working directory). */
export const REPO_ROOT = resolve(__dirname, '../../../..');
export const repoPath = (...parts: string[]): string => resolve(REPO_ROOT, ...parts);

/** What `npx nx build server` and `npx nx build web` produce (the test target depends on both). */
export const SERVER_MAIN = repoPath('dist/apps/server/main.js');
export const WEB_DIR = repoPath('dist/apps/web/browser');
