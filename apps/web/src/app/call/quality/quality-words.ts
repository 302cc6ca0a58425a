import type { MessageKey } from '../../core/i18n/messages';
import type { LinkQuality } from './link-quality';
import type { LinkStats } from './link-stats';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The one-line summary of a link, as in "Relayed, 180 ms, 4% loss": path, delay, and loss when there is some. */
export function linkSummary(stats: LinkStats, t: Translate): string {
  const parts: string[] = [];
  if (stats.localCandidateType) parts.push(t(isRelayed(stats) ? 'quality.relayed' : 'quality.direct'));
  if (stats.rttMs !== null) parts.push(t('quality.rtt', { ms: Math.round(stats.rttMs) }));
  const loss = worstLoss(stats);
  if (loss !== null && loss >= 0.005) parts.push(t('quality.loss', { percent: percent(loss) }));
  return parts.join(', ');
}

/** The lines shown on tap or hover: the level, what is wrong in plain words, then the path and the video. */
export function linkDetails(stats: LinkStats, quality: LinkQuality, name: string, t: Translate): string[] {
  const lines = [t(`quality.level.${quality.level}`)];
  for (const reason of quality.reasons) {
    const values: Record<string, string | number> = { name };
    if (reason === 'loss-in') values['percent'] = percent(stats.lossIn ?? 0);
    if (reason === 'loss-out') values['percent'] = percent(stats.lossOut ?? 0);
    if (reason === 'low-fps') values['fps'] = Math.round(stats.fps ?? 0);
    lines.push(t(`quality.reason.${reason}`, values));
  }
  if (stats.localCandidateType) lines.push(t(isRelayed(stats) ? 'quality.path.relayed' : 'quality.path.direct'));
  if (stats.rttMs !== null) lines.push(t('quality.delay', { ms: Math.round(stats.rttMs) }));
  if (stats.frameHeight && stats.fps !== null) {
    lines.push(t('quality.video', { name, height: stats.frameHeight, fps: Math.round(stats.fps) }));
  }
  if (stats.freezeCount) {
    lines.push(t('quality.froze', { count: stats.freezeCount, seconds: (stats.totalFreezesDuration ?? 0).toFixed(1) }));
  }
  return lines;
}

/** Relayed when either side's candidate of the selected pair is a TURN relay. */
export function isRelayed(stats: Pick<LinkStats, 'localCandidateType' | 'remoteCandidateType'>): boolean {
  return stats.localCandidateType === 'relay' || stats.remoteCandidateType === 'relay';
}

function worstLoss(stats: LinkStats): number | null {
  const losses = [stats.lossIn, stats.lossOut].filter((loss): loss is number => loss !== null);
  return losses.length ? Math.max(...losses) : null;
}

/** Whole percents, but never "0%" for a loss that is there. */
function percent(fraction: number): number {
  const value = Math.round(fraction * 100);
  return value === 0 && fraction > 0 ? 1 : value;
}
