// `npm test`: lint, type-check and test every project through Nx, then print
// one closing line with the totals of every jest run ("N passed, N failed").
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { modernNodeEnv } from './node-runtime.mjs';

const resultsDir = 'test-output/jest';
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const env = { ...modernNodeEnv(), JEST_RESULTS_DIR: join(process.cwd(), resultsDir) };
const nx = (...args) => spawnSync('npx', ['nx', 'run-many', ...args, '--output-style=static'], { stdio: 'inherit', env }).status ?? 1;
// Static checks side by side; test suites one project at a time, because the
// browser, coturn and multi-process suites each want both cores to themselves.
const checks = nx('-t', 'lint', 'typecheck');
const tests = nx('-t', 'test', '--parallel=1');

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(resultsDir)) {
  const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(checks || tests);
