/**
 * `npm run bench [-- --quick] [-- --only=relay,idle,flood,frames,weight,property,networks,quality] [-- --out=FILE]`
 *
 * Runs every benchmark of issue 5 against the built server and web app, the
 * baselines beside ours in the same run, prints the table and writes it to
 * docs/performance.md (the quick run to test-output/bench/ instead). Every
 * process it starts is ended when it finishes, fails or is interrupted; the
 * whole run is cut off after 20 minutes at most.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, REPO_ROOT, launchChromium } from '@mesh-meet/testing';
import { runFramesBench } from './browser/frames-bench';
import { runQualityBench } from './browser/quality-bench';
import { runWeightBench } from './browser/weight-bench';
import { runFloodBench } from './flood-bench';
import { runIdleBench } from './idle-bench';
import { runNetworksBench } from './networks-bench';
import { WATCHDOG_MS, installCleanup, stopAll } from './processes';
import { runPropertyBench } from './property-bench';
import { type SystemKey, runRelayBench } from './relay/relay-bench';
import { type BenchResults, NETWORKS_BEGIN, NETWORKS_END, renderNetworks, renderResults, spliceInto } from './report';
import { removeTempDirs, startOurs } from './servers';

const SECTIONS = ['relay', 'idle', 'flood', 'frames', 'weight', 'property', 'networks', 'quality'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  quick: boolean;
  /** --rates=1000,2000: the relay ladder instead of the default one. */
  rates?: number[];
  /** --systems=ours,plain: only these relay systems. */
  systems?: SystemKey[];
  sections: Set<Section>;
  out: string;
  command: string;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const sections = new Set<Section>(
    only ? only.split(',').filter((name): name is Section => (SECTIONS as readonly string[]).includes(name)) : SECTIONS,
  );
  const out =
    argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ??
    // The network lab's block is its own: a run of that section alone still writes it to the document.
    ((quick || only || argv.some((arg) => /^--(rates|systems)=/.test(arg))) && only !== 'networks' ? 'test-output/bench/performance.md' : 'docs/performance.md');
  const rates = argv
    .find((arg) => arg.startsWith('--rates='))
    ?.slice('--rates='.length)
    .split(',')
    .map(Number)
    .filter((rate) => rate > 0);
  const systems = argv
    .find((arg) => arg.startsWith('--systems='))
    ?.slice('--systems='.length)
    .split(',') as SystemKey[] | undefined;
  const passed = argv.filter((arg) => arg !== '--no-build');
  const command = `npm run bench${passed.length ? ` -- ${passed.join(' ')}` : ''}`;
  return { quick, rates, systems, sections, out: resolve(REPO_ROOT, out), command };
}

const started = performance.now();
const log = (line: string) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let browser: Browser | undefined;
  installCleanup(async () => {
    await browser?.close().catch(() => undefined);
    removeTempDirs();
  });
  // The network lab's runs (several minutes each) come on top of the rest.
  const limitMs = WATCHDOG_MS + (options.sections.has('networks') ? 30 * 60_000 : 0);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${limitMs / 60_000} min; stopping\n`);
    void stopAll().then(() => process.exit(1));
  }, limitMs);
  watchdog.unref();

  const loads: number[] = [loadavg()[0]];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
  sampler.unref();
  // npm run bench built the server, the web app and the bench first (apps/bench/run.mjs).
  const buildSeconds = Number(process.env['BENCH_BUILD_SECONDS'] ?? 0);
  const sectionSeconds: Record<string, number> = buildSeconds > 0 ? { build: buildSeconds } : {};
  const timed = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await task();
    } finally {
      sectionSeconds[name] = (performance.now() - at) / 1000;
    }
  };

  const results: BenchResults = {
    environment: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      command: options.command,
      cores: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: totalmem() / 2 ** 30,
      kernel: release(),
      node: process.version,
      loadAverage: { start: loads[0], max: loads[0], end: loads[0] },
      durationSeconds: 0,
      sectionSeconds,
    },
    skipped: [],
  };

  log(`bench: ${options.quick ? 'quick' : 'full'} run of ${[...options.sections].join(', ')}`);
  try {
    if (options.sections.has('relay')) {
      results.relay = await timed('relay', () =>
        runRelayBench({
          ladder: options.rates ?? (options.quick ? [500, 2000] : [500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000, 24000, 32000]),
          only: options.systems,
          stepMs: options.quick ? 1500 : 3000,
          bisect: !options.quick,
          budgetMs: options.quick ? 60_000 : 330_000,
          redisUrl: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
          databaseUrl: process.env['BENCH_DATABASE_URL'] ?? 'mysql://root@127.0.0.1:3306/mesh_meet_bench',
          log,
        }),
      );
    }
    if (options.sections.has('idle')) {
      results.idle = await timed('idle', () => runIdleBench(options.quick ? 1000 : 10_000, log));
    }
    if (options.sections.has('flood')) {
      results.flood = await timed('flood', () => runFloodBench(options.quick, log));
    }
    if (options.sections.has('property')) {
      results.property = await timed('property', () => runPropertyBench(options.quick ? 5_000 : 100_000, log));
    }
    if (options.sections.has('frames') || options.sections.has('weight') || options.sections.has('quality')) {
      if (!existsSync(CHROMIUM)) {
        results.skipped.push('time to first frame and page weight: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');
      } else {
        const server = await startOurs('browser');
        try {
          // The tests' flags, and remote audio that starts without a click (no "Tap to enable sound").
          browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
          results.environment.chromium = browser.version();
          if (options.sections.has('frames')) {
            const activeBrowser = browser;
            results.frames = await timed('frames', () => runFramesBench(activeBrowser, server.url, options.quick ? 2 : 5, log));
          }
          if (options.sections.has('weight')) {
            const activeBrowser = browser;
            results.weight = await timed('weight', () => runWeightBench(activeBrowser, server.url));
          }
          if (options.sections.has('quality')) {
            const activeBrowser = browser;
            results.quality = await timed('quality', () => runQualityBench(activeBrowser, server.url, options.quick ? 8000 : 20_000, log));
          }
        } finally {
          await browser?.close().catch(() => undefined);
          browser = undefined;
          await server.managed.stop();
        }
      }
    }
    if (options.sections.has('networks')) {
      results.networks = await timed('networks', () => runNetworksBench(options.quick ? 1 : 3, log));
    }
  } finally {
    await stopAll();
    removeTempDirs();
    clearInterval(sampler);
  }

  loads.push(loadavg()[0]);
  results.environment.loadAverage = { start: loads[0], max: Math.max(...loads), end: loads[loads.length - 1] };
  results.environment.durationSeconds = (performance.now() - started) / 1000 + buildSeconds;

  const block = renderResults(results);
  process.stdout.write(`\n${block}\n\n`);
  mkdirSync(dirname(options.out), { recursive: true });
  let existing: string | undefined;
  try {
    existing = readFileSync(options.out, 'utf8');
  } catch {
    existing = undefined;
  }
  const networksOnly = options.sections.size === 1 && results.networks !== undefined;
  let written = networksOnly ? existing : spliceInto(existing, block);
  if (results.networks) written = spliceInto(written, renderNetworks(results.networks, results.environment), NETWORKS_BEGIN, NETWORKS_END);
  writeFileSync(options.out, written ?? '');
  const rawFile = join(REPO_ROOT, 'test-output/bench', options.quick ? 'results-quick.json' : 'results.json');
  mkdirSync(dirname(rawFile), { recursive: true });
  writeFileSync(rawFile, JSON.stringify(results, null, 2));
  log(`bench: wrote ${options.out} and ${rawFile} in ${results.environment.durationSeconds.toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopAll();
    removeTempDirs();
    process.exit(1);
  },
);
