// How the built server is started, by every start path: `node <args> dist/apps/server/main.js`,
// with the Node options the build put beside it (apps/server/node-args.json; the Docker
// image's CMD spells out the same list).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Arguments for `node`: the server's Node options, then its entry point. */
export function serverCommand(main = 'dist/apps/server/main.js') {
  const options = join(dirname(main), 'node-args.json');
  const args = existsSync(options) ? JSON.parse(readFileSync(options, 'utf8')).args : [];
  return [...args, main];
}
