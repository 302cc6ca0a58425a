import fc from 'fast-check';
import { type Scenario, describeScenario, eventCount, scenarioArb } from './actions';
import type { PropertyName, Violation } from './checks';
import { type PropertyTarget, runScenario } from './run';

export interface PropertyBudget {
  seed: number;
  /** fast-check's path of a counterexample: replays it (and shrinks on from there). */
  path?: string;
  numRuns: number;
  maxActions: number;
  /** New scenarios start only this long after the first. */
  searchMs: number;
  /** After the first failure, shrinking goes on this long at most. */
  shrinkMs: number;
  /** Only these properties fail a run (to shrink towards one of them); all when absent. */
  only?: ReadonlySet<PropertyName>;
}

export interface PropertyFailure {
  path: string;
  scenario: Scenario;
  violations: Violation[];
  shrinks: number;
}

export interface PropertyResult {
  seed: number;
  runs: number;
  events: number;
  seconds: number;
  failure?: PropertyFailure;
}

class PropertyViolation extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((violation) => violation.message).join('\n'));
  }
}

/**
 * fast-check over runScenario, within a time budget of our own: a run that
 * would start after its deadline passes without running, which ends the
 * search (or the shrinking) cleanly. (fast-check's own interruptAfterTimeLimit
 * leaves the interrupted run going on against a server about to close.)
 */
export async function checkGatewayProperty(target: PropertyTarget, budget: PropertyBudget): Promise<PropertyResult> {
  const started = Date.now();
  let shrinkDeadline: number | undefined;
  let runs = 0;
  let events = 0;
  const property = fc.asyncProperty(scenarioArb(budget.maxActions), async (scenario) => {
    const now = Date.now();
    if (now > (shrinkDeadline ?? started + budget.searchMs)) return;
    const outcome = await runScenario(target, scenario, budget.only);
    runs += 1;
    events += outcome.events;
    if (outcome.violations.length) {
      shrinkDeadline ??= Date.now() + budget.shrinkMs;
      throw new PropertyViolation(outcome.violations);
    }
  });
  const details = await fc.check(property, { seed: budget.seed, path: budget.path, numRuns: budget.numRuns });
  const result: PropertyResult = { seed: budget.seed, runs, events, seconds: (Date.now() - started) / 1000 };
  if (details.failed && details.counterexample && details.counterexamplePath !== null) {
    const error = details.errorInstance;
    result.failure = {
      path: details.counterexamplePath,
      scenario: details.counterexample[0],
      violations: error instanceof PropertyViolation ? error.violations : [{ property: 'answers', message: String(error) }],
      shrinks: details.numShrinks,
    };
  }
  return result;
}

/** The failure as a report: how to replay it, the shrunk sequence, and what broke. */
export function describeFailure(seed: number, failure: PropertyFailure): string {
  return [
    `replay: FC_SEED=${seed} FC_PATH=${failure.path} (shrunk ${failure.shrinks} times; ${eventCount(failure.scenario)} events)`,
    describeScenario(failure.scenario),
    'broke:',
    ...failure.violations.slice(0, 15).map((violation) => `  - [${violation.property}] ${violation.message}`),
  ].join('\n');
}
