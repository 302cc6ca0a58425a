import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureLines, readFigures } from './networks-bench';
import { NETWORKS_BEGIN, NETWORKS_END, renderNetworks, spliceInto } from './report';

describe('the networks section', () => {
  it('groups the figures of every run by name and takes the median of all their values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'networks-bench-spec-'));
    try {
      const file = join(dir, 'figures.jsonl');
      const lines = [
        { name: 'recovery (a)', unit: 'ms', values: [4000, 9000, 5000] },
        { name: 'time to media: direct', unit: 'ms', values: [1200] },
        { name: 'recovery (a)', unit: 'ms', values: [6000] },
      ];
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      expect(readFigures(file)).toEqual([
        { name: 'recovery (a)', unit: 'ms', values: [4000, 9000, 5000, 6000], median: 5500 },
        { name: 'time to media: direct', unit: 'ms', values: [1200], median: 1200 },
      ]);
      expect(readFigures(join(dir, 'missing.jsonl'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes its own block, keeping the rest of the document', () => {
    const environment = {
      date: '2026-11-29T05:00:00Z',
      command: 'npm run bench -- --only=networks',
      cores: 2,
      cpuModel: 'AMD EPYC',
      memoryGiB: 24,
      kernel: '6.18',
      node: 'v24',
      loadAverage: { start: 1, max: 2, end: 1 },
      durationSeconds: 60,
      sectionSeconds: {},
    };
    const block = renderNetworks({ runs: 3, failedRuns: 0, figures: [{ name: 'recovery (a)', unit: 'ms', values: [1, 2, 3], median: 2 }] }, environment);
    expect(block).toContain('| recovery (a) | 2 ms | 1, 2, 3 |');
    const once = spliceInto('# Performance\n\nwritten by people\n', block, NETWORKS_BEGIN, NETWORKS_END);
    const twice = spliceInto(once, block.replace('2 ms', '3 ms'), NETWORKS_BEGIN, NETWORKS_END);
    expect(twice).toContain('written by people');
    expect(twice).toContain('| recovery (a) | 3 ms |');
    expect(twice.split(NETWORKS_BEGIN)).toHaveLength(2);
  });
});

describe('failureLines', () => {
  it('keeps each failure heading of a jest run and the lines under it, without colours', () => {
    const output = ['PASS one', '\u001b[1m  ● suite › a case\u001b[22m', '    expect(pause).toBeLessThan(2000)', 'Tests: 1 failed'].join('\n');
    expect(failureLines(output)).toEqual(['  ● suite › a case', '    expect(pause).toBeLessThan(2000)', 'Tests: 1 failed']);
  });

  it('says nothing for a run without failures', () => {
    expect(failureLines('PASS one\nTests: 3 passed')).toEqual([]);
  });
});
