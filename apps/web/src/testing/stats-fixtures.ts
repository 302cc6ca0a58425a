import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatsEntry } from '../app/call/quality/link-stats';

/** Spec helper: the two reports of a recorded fixture (see tools/record-stats-fixtures.mjs). */
export type FixtureName = 'chromium-direct' | 'chromium-relay' | 'chromium-limited' | 'firefox-direct';

export interface StatsFixture {
  recordedWith: string;
  reports: [StatsEntry[], StatsEntry[]];
}

export function loadFixture(name: FixtureName): StatsFixture {
  return JSON.parse(readFileSync(join(__dirname, '../app/call/quality/fixtures', `${name}.json`), 'utf8')) as StatsFixture;
}

/** A copy of a report with some entries changed (a synthetic twist on a real report; the spec says which). */
export function edited(report: readonly StatsEntry[], change: (entry: StatsEntry) => StatsEntry | null): StatsEntry[] {
  return report.map((entry) => change({ ...entry })).filter((entry): entry is StatsEntry => entry !== null);
}
