import { LIMITS, type QualitySample } from '@mesh-meet/protocol';
import type { PageVisibility } from '../../core/browser.tokens';
import { type LinkQuality, type QualityLevel, assessLink, worse } from './link-quality';
import { type LinkStats, type StatsEntry, linkStats, statsEntries } from './link-stats';
import { qualitySample } from './quality-sample';

/** One link as the monitor needs it: the connection to ask, and what the other side says it sends. */
export interface MonitoredLink {
  peerId: string;
  connection: Pick<RTCPeerConnection, 'getStats'>;
  /** Their camera or screen is on (and we asked for their video): missing frames then count. */
  videoExpected: boolean;
  /** The peer session's health; the changes into `reconnecting` are counted as ICE restarts. */
  health: string;
}

/** What the indicator shows for one link. */
export interface LinkView {
  level: QualityLevel;
  reasons: LinkQuality['reasons'];
  stats: LinkStats;
  /** Rounds in a row this link measured poor (the low-bandwidth offer waits for a few, not one bad moment). */
  poorRounds: number;
}

export interface QualityMonitorOptions {
  links: () => MonitoredLink[];
  visibility: PageVisibility;
  onLinks: (views: ReadonlyMap<string, LinkView>) => void;
  /** A batch of samples, one per link with something measured, at most every `sampleIntervalMs`. */
  onSamples: (samples: QualitySample[]) => void;
  /** getStats() of each connection at most this often (2 s). */
  statsIntervalMs?: number;
  /** A link's sample at most this often (LIMITS.qualityIntervalMs, what the server allows). */
  sampleIntervalMs?: number;
  /** Our own cap on each link's video (bit/s): reaching it is not the network's doing (see qualitySample). */
  sendCapBps?: () => number | undefined;
  now?: () => number;
}

interface LinkState {
  connection: MonitoredLink['connection'];
  last: StatsEntry[] | null;
  lastLevel: QualityLevel | null;
  /** The report the next sample's window starts from, and when it was taken. */
  sampleBase: StatsEntry[] | null;
  sampleBaseAt: number;
  restarts: number;
  health: string;
  /** Media arrived in some interval: from then on, silence counts against the link. */
  mediaStarted: boolean;
  poorRounds: number;
}

/**
 * Samples every peer connection's getStats(): one call per connection every
 * 2 s at most, none while the tab is hidden (a hidden tab's numbers would be
 * stale by the time anyone looks, and the call costs the main thread). Each
 * round reduces two consecutive reports to a level the tiles show; every 10 s
 * at most it also turns the window since the link's previous sample into the
 * compact sample the server keeps.
 *
 * Rounds never overlap: the next one is scheduled when the last has finished,
 * so a busy browser slows sampling down instead of queueing calls. While
 * hidden nothing is scheduled; the first round after the tab comes back starts
 * every window afresh (a window spanning minutes hidden would average them away).
 */
export class QualityMonitor {
  private readonly links = new Map<string, LinkState>();
  private readonly views = new Map<string, LinkView>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopVisibility: (() => void) | undefined;
  private running = false;
  private sampling = false;
  /** Bumped by stop(): a round still awaiting getStats() then reports nothing. */
  private epoch = 0;

  constructor(private readonly options: QualityMonitorOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopVisibility = this.options.visibility.onChange((visible) => {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (!visible) return this.forgetWindows();
      this.schedule(0);
    });
    if (this.options.visibility.visible()) this.schedule(this.statsInterval);
  }

  stop(): void {
    this.running = false;
    this.epoch += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopVisibility?.();
    this.stopVisibility = undefined;
    this.links.clear();
    this.views.clear();
  }

  /** One round now (the timer calls it; tests and the bench may too). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      await this.round();
    } finally {
      this.sampling = false;
    }
  }

  private get statsInterval(): number {
    return this.options.statsIntervalMs ?? 2000;
  }

  private schedule(delay: number): void {
    if (!this.running || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sample().finally(() => {
        if (this.options.visibility.visible()) this.schedule(this.statsInterval);
      });
    }, delay);
  }

  private async round(): Promise<void> {
    const now = this.options.now ?? Date.now;
    const epoch = this.epoch;
    const links = this.options.links();
    const present = new Set(links.map((link) => link.peerId));
    for (const peerId of [...this.links.keys()]) {
      if (!present.has(peerId)) {
        this.links.delete(peerId);
        this.views.delete(peerId);
      }
    }
    const reports = await Promise.all(
      links.map(async (link) => {
        try {
          return statsEntries(await link.connection.getStats());
        } catch {
          return null; // A connection closing meanwhile has no stats: skip it this round.
        }
      }),
    );
    if (epoch !== this.epoch) return;
    const samples: QualitySample[] = [];
    const sampleEvery = this.options.sampleIntervalMs ?? LIMITS.qualityIntervalMs;
    links.forEach((link, index) => {
      const report = reports[index];
      if (!report) return;
      let state = this.links.get(link.peerId);
      // A new connection to the same person (they rejoined): its counters start over.
      if (!state || state.connection !== link.connection) {
        state = { connection: link.connection, last: null, lastLevel: null, sampleBase: null, sampleBaseAt: 0, restarts: 0, health: link.health, mediaStarted: false, poorRounds: 0 };
        this.links.set(link.peerId, state);
      }
      if (link.health === 'reconnecting' && state.health !== 'reconnecting') state.restarts += 1;
      state.health = link.health;
      const stats = linkStats(state.last, report);
      const quality = assessLink(stats, { videoExpected: link.videoExpected, mediaStarted: state.mediaStarted });
      // Counted from the round after media first arrived: the first frames' own interval is a ramp-up, not a verdict.
      state.mediaStarted ||= stats.receiving === true;
      // Worse at once, better only after two calm rounds: a level that flickers tells nobody anything.
      const level = state.lastLevel ? worse(quality.level, state.lastLevel) : quality.level;
      state.lastLevel = quality.level;
      state.last = report;
      if (stats.intervalMs > 0) state.poorRounds = quality.level === 'poor' ? state.poorRounds + 1 : 0;
      if (stats.intervalMs > 0 || !this.views.has(link.peerId)) {
        this.views.set(link.peerId, { level, reasons: quality.reasons, stats, poorRounds: state.poorRounds });
      }
      if (!state.sampleBase) {
        state.sampleBase = report;
        state.sampleBaseAt = now();
      } else if (now() - state.sampleBaseAt >= sampleEvery) {
        const sample = qualitySample(link.peerId, linkStats(state.sampleBase, report), state.restarts, this.options.sendCapBps?.());
        if (sample) samples.push(sample);
        state.sampleBase = report;
        state.sampleBaseAt = now();
        state.restarts = 0;
      }
    });
    this.options.onLinks(new Map(this.views));
    if (samples.length) this.options.onSamples(samples.slice(0, LIMITS.qualitySamplesPerMessage));
  }

  private forgetWindows(): void {
    for (const state of this.links.values()) {
      state.last = null;
      state.sampleBase = null;
    }
  }
}
