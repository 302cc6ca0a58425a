// Bundles apps/server into dist/apps/server/main.js.
//
// esbuild does the bundling (the protocol library is inlined; node_modules stay
// external), but it cannot emit decorator metadata, which Nest's dependency
// injection and TypeORM read. So each of our .ts files is first transpiled by
// TypeScript itself (transpileModule: per file, no type check), then handed on.
import { build } from 'esbuild';
import { copyFile, readFile } from 'node:fs/promises';
import ts from 'typescript';

const decoratorMetadata = {
  name: 'typescript-decorator-metadata',
  setup(context) {
    context.onLoad({ filter: /\.ts$/, namespace: 'file' }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { outputText } = ts.transpileModule(source, {
        fileName: args.path,
        compilerOptions: {
          target: ts.ScriptTarget.ES2023,
          module: ts.ModuleKind.ESNext,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          useDefineForClassFields: false,
          sourceMap: false,
          inlineSourceMap: true,
          inlineSources: true,
        },
      });
      return { contents: outputText, loader: 'js' };
    });
  },
};

const started = Date.now();
await build({
  entryPoints: ['apps/server/src/main.ts'],
  outfile: 'dist/apps/server/main.js',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  tsconfig: 'apps/server/tsconfig.json',
  plugins: [decoratorMetadata],
  logLevel: 'warning',
  // Nest and the logs print class names; keep them readable.
  keepNames: true,
});
// The Node options it is started with travel with it (tools/server-command.mjs, the bench).
await copyFile('apps/server/node-args.json', 'dist/apps/server/node-args.json');
console.log(`built dist/apps/server/main.js in ${Date.now() - started} ms`);
