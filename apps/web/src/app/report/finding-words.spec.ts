import type { ReportSummary } from '@mesh-meet/protocol';
import { summaryLines } from './finding-words';

/** Echoes the key and its values, so a spec reads what reached the translation. */
const t = (key: string, values: Record<string, unknown> = {}) => `${key} ${JSON.stringify(values)}`;
const minute = (iso: string) => iso.slice(11, 16);

function summary(periods: Array<{ from: string; to: string }>): ReportSummary {
  return { participationId: 'p1', name: 'Kumi', text: '', findings: [{ kind: 'uplink-limited', cause: 'bandwidth', periods }] };
}

describe('summaryLines', () => {
  it('gives a period within one minute as that minute, not a range from it to itself', () => {
    const [line] = summaryLines(summary([{ from: '2026-11-29T07:37:05Z', to: '2026-11-29T07:37:45Z' }]), t, minute);
    expect(line).toBe('report.finding.uplink-limited.bandwidth {"name":"Kumi","periods":"07:37"}');
  });

  it('gives longer periods as ranges, each of them', () => {
    const [line] = summaryLines(
      summary([
        { from: '2026-11-29T07:37:05Z', to: '2026-11-29T07:39:45Z' },
        { from: '2026-11-29T08:00:00Z', to: '2026-11-29T08:00:30Z' },
      ]),
      t,
      minute,
    );
    expect(line).toBe('report.finding.uplink-limited.bandwidth {"name":"Kumi","periods":"07:37–07:39, 08:00"}');
  });
});
