import type { ReportFinding, ReportPeriod, ReportSummary } from '@mesh-meet/protocol';
import type { Translate } from '../call/quality/quality-words';

/**
 * A person's summary in the reader's language and time zone, from the
 * findings the server's summary made (the server's own `text` is English
 * in UTC). No findings: nothing went wrong that was measured.
 */
export function summaryLines(summary: ReportSummary, t: Translate, time: (iso: string) => string): string[] {
  const name = summary.name;
  // A period within one minute reads as that minute, not "07:37–07:37".
  const range = (period: ReportPeriod) => (time(period.from) === time(period.to) ? time(period.from) : `${time(period.from)}–${time(period.to)}`);
  const periods = (list: readonly ReportPeriod[]) => list.map(range).join(', ');
  const percent = (loss: number) => Math.max(1, Math.round(loss * 100));
  return summary.findings.map((finding: ReportFinding) => {
    switch (finding.kind) {
      case 'uplink-limited':
        return t(`report.finding.uplink-limited.${finding.cause}`, { name, periods: periods(finding.periods) });
      case 'uplink-loss':
      case 'downlink-loss':
        return t(`report.finding.${finding.kind}`, { name, percent: percent(finding.loss), periods: periods(finding.periods) });
      case 'link-loss':
        return t('report.finding.link-loss', { name, peer: finding.peer, percent: percent(finding.loss), periods: periods(finding.periods) });
      case 'freezes':
        return t('report.finding.freezes', { name, count: finding.count, seconds: finding.durationSec.toFixed(1) });
      case 'relayed':
        return t('report.finding.relayed', { name, peers: finding.peers.join(', ') });
      case 'reconnections':
        return t('report.finding.reconnections', { name, count: finding.count, times: finding.times.map(time).join(', ') });
    }
  });
}
