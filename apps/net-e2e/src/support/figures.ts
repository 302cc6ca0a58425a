import { appendFileSync } from 'node:fs';

/**
 * A measured figure of a lab case (a recovery time, a freeze count). Never
 * asserted tightly: logged, and appended as a JSON line to
 * $NETWORK_FIGURES_FILE when the bench's networks section runs the cases
 * (apps/bench networks-bench.ts takes the medians over its runs).
 */
export function figure(name: string, value: number | number[], unit: string): void {
  const line = JSON.stringify({ name, values: [value].flat(), unit });
  console.log(`figure: ${line}`);
  const file = process.env['NETWORK_FIGURES_FILE'];
  if (file) appendFileSync(file, `${line}\n`);
}
