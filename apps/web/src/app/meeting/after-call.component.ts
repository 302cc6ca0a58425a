import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { CallStore, type CallPhase } from '../call/call.store';
import { I18n } from '../core/i18n/i18n.service';
import type { MessageKey } from '../core/i18n/messages';

interface AfterPage {
  testId: string;
  title: MessageKey;
  canRejoin: boolean;
}

const PAGES: Partial<Record<CallPhase, AfterPage>> = {
  left: { testId: 'left', title: 'after.left.title', canRejoin: true },
  removed: { testId: 'removed', title: 'after.removed.title', canRejoin: false },
  ended: { testId: 'room-ended', title: 'after.ended.title', canRejoin: false },
  // Not let in: no button to ask again at once (the server would refuse it for a while anyway).
  denied: { testId: 'join-denied', title: 'after.denied.title', canRejoin: false },
};

/** The call ended without the person choosing it (the server closed the connection, a rejoin was refused). */
const DISCONNECTED: AfterPage = { testId: 'disconnected', title: 'after.disconnected.title', canRejoin: true };

/**
 * What a person sees after the call: they left, were removed, the host ended
 * it, or the server closed the connection, and then the reason it gave.
 */
@Component({
  selector: 'app-after-call',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (page(); as page) {
      <main class="after card" [attr.data-testid]="page.testId">
        <h1>{{ i18n.t(page.title) }}</h1>
        @if (reason(); as reason) {
          <p class="reason" data-testid="after-reason">{{ i18n.t(reason) }}</p>
        }
        <div class="actions">
          @if (page.canRejoin) {
            <button type="button" class="primary" data-testid="rejoin" (click)="rejoin.emit()">{{ i18n.t('after.rejoin') }}</button>
          }
          @if (reportRoomId(); as roomId) {
            <a class="home-link" data-testid="report-link" [routerLink]="['/r', roomId, 'report']">{{ i18n.t('report.link') }}</a>
          }
          <a routerLink="/" class="home-link">{{ i18n.t('after.home') }}</a>
        </div>
      </main>
    }
  `,
  styles: `
    :host { display: grid; place-items: center; min-height: 100%; padding: 16px; }
    .after { max-width: 440px; width: 100%; text-align: center; }
    h1 { font-size: 1.25rem; }
    .reason { color: var(--muted); }
    .actions { display: flex; gap: 16px; justify-content: center; align-items: center; flex-wrap: wrap; }
    .home-link { color: var(--accent-text); }
  `,
})
export class AfterCallComponent {
  protected readonly i18n = inject(I18n);
  private readonly store = inject(CallStore);
  readonly phase = input.required<CallPhase>();
  readonly rejoin = output<void>();
  /** Why the call ended, when the person did not leave on their own (every error code has a text). */
  protected readonly reason = computed<MessageKey | null>(() => {
    const error = this.store.error();
    return this.phase() === 'left' && error ? `error.${error}` : null;
  });
  /** The host of this call may read its report (the page checks the key again). */
  protected readonly reportRoomId = computed(() => (this.store.isHost() ? (this.store.room()?.roomId ?? null) : null));
  protected readonly page = computed(() => (this.reason() ? DISCONNECTED : PAGES[this.phase()]));
}
