// Prints the gzip size of the web app's initial JavaScript (the <script>s of
// index.html, plus the chunks they import statically) against the 150 KB budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 150;

export function initialJavaScript(dir = 'dist/apps/web/browser') {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((match) => match[1]);
  const seen = new Set();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    // Static imports of other chunks load with the page; dynamic import() ones do not.
    for (const match of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)) queue.push(match[1]);
  }
  const files = [...seen].map((file) => {
    const bytes = readFileSync(join(dir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((sum, file) => sum + file.gzip, 0), raw: files.reduce((sum, file) => sum + file.raw, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, gzip, raw } = initialJavaScript(process.argv[2]);
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  for (const file of files) console.log(`  ${file.file}: ${kb(file.raw)} KB, ${kb(file.gzip)} KB gzip`);
  console.log(`initial JavaScript: ${kb(gzip)} KB gzip (${kb(raw)} KB raw); budget ${BUDGET_KB} KB gzip${gzip / 1024 > BUDGET_KB ? ' — OVER BUDGET' : ''}`);
}
