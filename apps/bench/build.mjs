// Bundles the bench (TypeScript) into dist/apps/bench/*.mjs: the orchestrator,
// the load generator and the two baseline servers, each run as its own process.
// node_modules stay external. No keepNames: functions handed to page.evaluate()
// are sent to the browser as source text and must not call esbuild's helpers.
import { build } from 'esbuild';

const started = Date.now();
await build({
  entryPoints: {
    main: 'apps/bench/src/main.ts',
    'load-generator': 'apps/bench/src/relay/load-generator.ts',
    'plain-relay': 'apps/bench/src/relay/plain-relay.ts',
    'peerjs-relay': 'apps/bench/src/relay/peerjs-relay.ts',
  },
  outdir: 'dist/apps/bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  tsconfig: 'apps/bench/tsconfig.json',
  logLevel: 'warning',
});
console.log(`built dist/apps/bench in ${Date.now() - started} ms`);
