import type { ReportSample } from '@mesh-meet/protocol';

export type Metric = 'rtt' | 'loss' | 'fps';

export interface ChartRow {
  metric: Metric;
  /** SVG path data of the line; a gap where a sample had no value. Empty when no sample had one. */
  path: string;
  /** The value at the top of the row (the scale), and the row's top edge (px). */
  max: number;
  top: number;
}

export interface FreezeMark {
  x: number;
  count: number;
  seconds: number;
  at: string;
}

export interface ChartGeometry {
  rows: ChartRow[];
  freezes: FreezeMark[];
}

export interface ChartFrame {
  /** The time axis (ms since the epoch): the meeting's span, the same for every chart so they line up. */
  from: number;
  to: number;
  width: number;
  rowHeight: number;
}

/** Each row's scale starts here and grows with the data: a calm link draws low, a bad one fills its row. */
const FLOOR: Record<Metric, number> = { rtt: 300, loss: 10, fps: 30 };

const VALUE: Record<Metric, (sample: ReportSample) => number | null> = {
  rtt: (sample) => sample.rttMs,
  // What this person received: loss on the way in, in percent.
  loss: (sample) => (sample.lossIn === null ? null : sample.lossIn * 100),
  fps: (sample) => sample.fpsIn,
};

/**
 * The lines of one link's small chart: round trip, loss and received frame
 * rate, one row each, over the meeting's time axis, and a mark wherever the
 * video froze within a sample's window. Plain numbers for plain SVG: no chart
 * library (the report's JavaScript stays small).
 */
export function chartGeometry(samples: readonly ReportSample[], frame: ChartFrame): ChartGeometry {
  const span = Math.max(1, frame.to - frame.from);
  const x = (at: string) => round(((Date.parse(at) - frame.from) / span) * frame.width);
  const rows = (['rtt', 'loss', 'fps'] as const).map((metric, index): ChartRow => {
    const values = samples.map(VALUE[metric]);
    const max = Math.max(FLOOR[metric], ...values.filter((value): value is number => value !== null));
    const top = index * frame.rowHeight;
    const y = (value: number) => round(top + frame.rowHeight - (value / max) * (frame.rowHeight - 2) - 1);
    let path = '';
    let drawing = false;
    samples.forEach((sample, sampleIndex) => {
      const value = values[sampleIndex];
      if (value === null) {
        drawing = false;
        return;
      }
      path += `${drawing ? 'L' : 'M'}${x(sample.at)} ${y(value)} `;
      drawing = true;
    });
    return { metric, path: path.trim(), max: round(max), top };
  });
  const freezes = samples
    .filter((sample) => (sample.freezeCount ?? 0) > 0)
    .map((sample) => ({ x: x(sample.at), count: sample.freezeCount ?? 0, seconds: sample.totalFreezesDuration ?? 0, at: sample.at }));
  return { rows, freezes };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
