/**
 * Section "property": the gateway property suite of issue 13 at volume.
 * Random event sequences (fast-check, the same generator and checks as
 * apps/server/src/signaling/gateway.property.e2e.spec.ts) run against the
 * built server as a process until the target number of events is sent,
 * several scenarios at once. It reports events per second and what broke:
 * how many scenarios failed, which properties, and the first failure.
 * Over HTTP the suite sees seat and row counts only (restProbe), so a ghost
 * seat shows once every client of its scenario has gone.
 */
import fc from 'fast-check';
import { SCENARIO_MAX_ACTIONS, type Scenario, describeScenario, restProbe, runScenario, scenarioArb } from '@mesh-meet/testing/property';
import { startOurs } from './servers';

export interface PropertyBenchResult {
  events: number;
  scenarios: number;
  seconds: number;
  eventsPerSecond: number;
  seed: number;
  failedScenarios: number;
  /** Violations per property (answers, rooms-apart, seats, attendance). */
  byProperty: Record<string, number>;
  /**
   * The first failing scenario and what broke. Not shrunk here: scenario #i is the first run of the
   * jest suite with FC_SEED=seed+i, which replays and shrinks it.
   */
  first?: { index: number; scenario: string; violations: string[] };
}

const GRACE_MS = 300;
/**
 * Scenarios in flight at once (each in its own rooms). Most of a scenario's
 * time is the wait for the grace period to pass, so many overlap well; the
 * probe is read every 100 ms, not the suite's 25, to keep HTTP polling light.
 */
const PARALLEL = 12;
const POLL_MS = 100;

export async function runPropertyBench(targetEvents: number, log: (line: string) => void): Promise<PropertyBenchResult> {
  const server = await startOurs('property', {
    env: { RECONNECT_GRACE_MS: String(GRACE_MS), MAX_PARTICIPANTS: '4', LOG_LEVEL: 'warn' },
  });
  const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
  const target = { url: server.directUrl, probe: restProbe(server.directUrl), graceMs: GRACE_MS, pollMs: POLL_MS };
  const result: PropertyBenchResult = {
    events: 0,
    scenarios: 0,
    seconds: 0,
    eventsPerSecond: 0,
    seed,
    failedScenarios: 0,
    byProperty: {},
  };
  const started = performance.now();
  let next = 0;
  let lastLog = started;
  const worker = async () => {
    while (result.events < targetEvents) {
      const index = next++;
      const [scenario]: Scenario[] = fc.sample(scenarioArb(), { seed: seed + index, numRuns: 1 });
      const outcome = await runScenario(target, scenario);
      result.events += outcome.events;
      result.scenarios += 1;
      if (outcome.violations.length) {
        result.failedScenarios += 1;
        for (const { property } of outcome.violations) result.byProperty[property] = (result.byProperty[property] ?? 0) + 1;
        if (!result.first || index < result.first.index) {
          const violations = outcome.violations.slice(0, 5).map(({ property, message }) => `[${property}] ${message}`);
          result.first = { index, scenario: describeScenario(scenario), violations };
        }
      }
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`property: ${result.events.toLocaleString('en-US')} events, ${result.failedScenarios}/${result.scenarios} scenarios failed`);
      }
    }
  };
  try {
    log(`property: ${targetEvents.toLocaleString('en-US')} events, seed ${seed}`);
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    await server.managed.stop();
  }
  result.seconds = (performance.now() - started) / 1000;
  result.eventsPerSecond = result.events / result.seconds;
  return result;
}

/** The row in the bench's summary table. */
export function propertySummaryRow(property: PropertyBenchResult): string {
  const found = Object.entries(property.byProperty)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return (
    `| gateway property suite: ${property.events.toLocaleString('en-US')} random events in ${property.scenarios} scenarios ` +
    `(seed ${property.seed}), events/s; scenarios that broke a property${found ? ` (violations: ${found})` : ''} | ` +
    `${property.eventsPerSecond.toFixed(0)} events/s; ${property.failedScenarios} failed | 0 failed | ${property.failedScenarios === 0 ? 'met' : '**missed**'} |`
  );
}

/** The section under the table: the first failing scenario, as the suite prints it. */
export function propertySection(property: PropertyBenchResult): string[] {
  const lines = ['## Gateway property suite', ''];
  lines.push(
    `${property.events.toLocaleString('en-US')} events in ${property.scenarios} scenarios of 3-6 clients in 2-3 rooms (at most ${SCENARIO_MAX_ACTIONS} ` +
      `actions each, ${PARALLEL} at a time) against the built server (in-memory membership, grace ${GRACE_MS} ms), ` +
      `${property.eventsPerSecond.toFixed(0)} events/s over ${property.seconds.toFixed(0)} s.`,
    '',
  );
  if (property.first) {
    const replay = `FC_SEED=${property.seed + property.first.index} npx jest -c apps/server/jest.config.cjs apps/server/src/signaling/gateway.property.e2e.spec.ts`;
    lines.push(`First failing scenario (#${property.first.index}; not shrunk; \`${replay}\` replays and shrinks it):`, '', '```');
    lines.push(property.first.scenario, 'broke:', ...property.first.violations.map((line) => `  - ${line}`), '```', '');
  }
  return lines;
}
