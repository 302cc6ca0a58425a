// `npm run bench [-- --quick]`: builds the server, the web app and the bench
// (Nx caches what did not change), then runs dist/apps/bench/main.mjs with
// the arguments. Ctrl-C reaches the bench, which ends every process it started.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// A workspace script, not a library: the same Node 24 bootstrap as npm start and npm test.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { modernNodeEnv } from '../../tools/node-runtime.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(root);
const args = process.argv.slice(2);
const env = modernNodeEnv();

const buildStarted = Date.now();
if (!args.includes('--no-build')) {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'server', 'web', 'bench', '--output-style=static'], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const buildSeconds = (Date.now() - buildStarted) / 1000;

const bench = spawn('node', ['dist/apps/bench/main.mjs', ...args], {
  stdio: 'inherit',
  env: { ...env, BENCH_BUILD_SECONDS: String(buildSeconds) },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => bench.kill(signal));
bench.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
