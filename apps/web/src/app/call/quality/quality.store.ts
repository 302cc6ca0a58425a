import { Injectable, computed, signal } from '@angular/core';
import type { LinkView } from './quality-monitor';

const POOR_ROUNDS_BEFORE_OFFER = 3;

/**
 * Call quality as the UI sees it: each link's view, what limits our own
 * video, and low-bandwidth mode. Read-only signals; the CallService changes them.
 */
@Injectable()
export class QualityStore {
  private readonly _links = signal<ReadonlyMap<string, LinkView>>(new Map());
  private readonly _uplinkLimitedBy = signal<'bandwidth' | 'cpu' | null>(null);
  private readonly _lowBandwidth = signal(false);

  readonly links = this._links.asReadonly();
  readonly uplinkLimitedBy = this._uplinkLimitedBy.asReadonly();
  readonly lowBandwidth = this._lowBandwidth.asReadonly();
  /** Some link has been poor for three rounds (about 6 s): offer low-bandwidth mode (while it is not on already). */
  readonly offerLowBandwidth = computed(
    () => !this._lowBandwidth() && [...this._links().values()].some((view) => view.poorRounds >= POOR_ROUNDS_BEFORE_OFFER),
  );

  link(peerId: string): LinkView | null {
    return this._links().get(peerId) ?? null;
  }

  setLinks(links: ReadonlyMap<string, LinkView>): void {
    this._links.set(links);
  }

  setUplinkLimitedBy(reason: 'bandwidth' | 'cpu' | null): void {
    if (this._uplinkLimitedBy() !== reason) this._uplinkLimitedBy.set(reason);
  }

  setLowBandwidth(on: boolean): void {
    this._lowBandwidth.set(on);
  }

  reset(): void {
    this._links.set(new Map());
    this._uplinkLimitedBy.set(null);
    this._lowBandwidth.set(false);
  }
}
