// `npm run protocol:schema`: writes docs/protocol.schema.json, the JSON Schema
// of every message, from the zod schemas in libs/protocol. The protocol spec
// (json-schema.spec.ts) fails while the checked-in file differs from what this
// writes. esbuild bundles the library (zod included) into memory, so no build
// step or TypeScript loader is needed.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = await build({
  entryPoints: [resolve(root, 'libs/protocol/src/lib/json-schema.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const code = Buffer.from(bundle.outputFiles[0].contents).toString('base64');
const { JSON_SCHEMA_FILE, protocolJsonSchemaText } = await import(`data:text/javascript;base64,${code}`);
writeFileSync(resolve(root, JSON_SCHEMA_FILE), protocolJsonSchemaText());
console.log(`wrote ${JSON_SCHEMA_FILE}`);
