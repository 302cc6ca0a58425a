// `npm start`: build the web app and the server, then serve both on
// http://localhost:3000 with the embedded defaults (SQLite under ./data).
import { spawn, spawnSync } from 'node:child_process';
import { modernNodeEnv } from './node-runtime.mjs';
import { serverCommand } from './server-command.mjs';

const env = modernNodeEnv();
// --no-build: serve what is built (`nx serve server` builds first itself).
if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'server', 'web'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
  spawnSync('node', ['tools/report-bundle.mjs'], { stdio: 'inherit', env });
}
if (process.argv.includes('--build-only')) process.exit(0);

const server = spawn('node', serverCommand(), { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
