import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@mesh-meet/testing';
import { spawnManaged } from './processes';
import { median } from './stats';

/** The lab cases that measure something (a name pattern for jest's -t); the others only pass or fail. */
const FIGURE_CASES = 'directly, with video|relays two carrier networks through coturn|through TURN over TCP|Wi-Fi and 4G|narrow, lossy uplink|signaling outage';

export interface NetworkFigure {
  name: string;
  unit: string;
  /** Every value of every run, in order. */
  values: number[];
  median: number;
}

export interface NetworksResult {
  runs: number;
  /** Runs whose jest run did not pass (their figures still count: a failed case logs none after the failure). */
  failedRuns: number;
  figures: NetworkFigure[];
}

/**
 * The network lab's figures (issue 12): time to media on each path, recovery
 * after a network change, freezes under a narrow lossy uplink, a signaling
 * outage. Runs the lab's cases (apps/net-e2e, root only) `runs` times the way
 * `nx run net-e2e:lab` does; each case appends its figures to a file (see
 * net-e2e support/figures.ts), and the medians are taken over all runs.
 */
export async function runNetworksBench(runs: number, log: (line: string) => void): Promise<NetworksResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-networks-'));
  const file = join(dir, 'figures.jsonl');
  let failedRuns = 0;
  try {
    for (let run = 1; run <= runs; run += 1) {
      log(`networks: lab run ${run} of ${runs}`);
      const jest = spawnManaged('net-e2e', process.execPath, [join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '-c', 'apps/net-e2e/jest.config.cjs', '-t', FIGURE_CASES], {
        env: {
          NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --experimental-vm-modules`,
          NETWORK_FIGURES_FILE: file,
          // Without root the lab skips loudly; under CI that is an error, here it only leaves the section empty.
          CI: '',
        },
      });
      const code = await jest.exited;
      if (code !== 0) {
        failedRuns += 1;
        log(`networks: run ${run} did not pass (${String(code)}); its figures so far still count`);
        for (const line of failureLines(jest.output())) log(`networks:   ${line}`);
      }
    }
    return { runs, failedRuns, figures: readFigures(file) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures in a file of JSON lines, grouped by name in first-seen order. */
export function readFigures(file: string): NetworkFigure[] {
  if (!existsSync(file)) return [];
  const byName = new Map<string, { unit: string; values: number[] }>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const { name, unit, values } = JSON.parse(line) as { name: string; unit: string; values: number[] };
    const entry = byName.get(name) ?? { unit, values: [] };
    entry.values.push(...values);
    byName.set(name, entry);
  }
  return [...byName.entries()].map(([name, { unit, values }]) => ({ name, unit, values, median: median(values) }));
}

/**
 * What a failed jest run said about its failures: each `●` heading and the
 * lines under it, colours stripped, at most 60 lines (the output is capped
 * at its last 64 KiB, so the first failures may be gone).
 */
export function failureLines(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const kept: string[] = [];
  let under = 0;
  for (const line of lines) {
    if (/^\s*● /.test(line)) under = 12;
    if (under > 0) {
      kept.push(line);
      under -= 1;
    }
  }
  return kept.slice(0, 60);
}
