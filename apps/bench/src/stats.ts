/** Summary statistics for latencies and repeated runs. Pure functions, unit-tested. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of already sorted values: the smallest value
 * with at least `p` percent of the values at or below it. No interpolation,
 * so the p99 of 100 values is the 99th, and a single slow message shows.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** The median of a few runs: the middle one, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `a / b`, or NaN when either side is missing or b is zero (shown as "n/a"). */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/**
 * What a relay step counts: each message sent must be delivered exactly
 * once, to the peer it was addressed to. `receipts[i]` is how often message
 * `i` arrived; `misdelivered` counts arrivals at another peer.
 */
export interface DeliveryCount {
  sent: number;
  delivered: number;
  lost: number;
  duplicates: number;
}

export function countDeliveries(receipts: ArrayLike<number>, sent: number): DeliveryCount {
  let delivered = 0;
  let duplicates = 0;
  for (let i = 0; i < sent; i += 1) {
    if (receipts[i] > 0) delivered += 1;
    if (receipts[i] > 1) duplicates += receipts[i] - 1;
  }
  return { sent, delivered, lost: sent - delivered, duplicates };
}

/**
 * The highest rate that held, stepping up: rates are tried in increasing
 * order and the search stops at the first rate that failed (after its
 * retry), so a lucky pass above a failure does not count.
 */
export function highestSustained(steps: ReadonlyArray<{ rate: number; passed: boolean }>): number | undefined {
  let best: number | undefined;
  for (const step of [...steps].sort((a, b) => a.rate - b.rate)) {
    if (!step.passed) break;
    best = step.rate;
  }
  return best;
}
