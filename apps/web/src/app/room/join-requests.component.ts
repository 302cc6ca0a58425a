import { ChangeDetectionStrategy, Component, DOCUMENT, type ElementRef, effect, inject, input, output, viewChildren } from '@angular/core';
import type { JoinRequestView } from '../call/call.store';
import { I18n } from '../core/i18n/i18n.service';

/**
 * The host's waiting room: one row per person asking to join (name, Admit,
 * Deny), and Admit all. Shown over the call whenever someone waits, so the
 * host does not have to open a panel to find them. A row that goes (admitted,
 * denied, gave up) hands keyboard focus to the next one rather than losing it.
 */
@Component({
  selector: 'app-join-requests',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="requests card" data-testid="join-requests" [attr.aria-labelledby]="'join-requests-title'">
      <h2 id="join-requests-title">{{ i18n.t('room.requests.title', { count: requests().length }) }}</h2>
      <ul>
        @for (request of requests(); track request.requestId) {
          <li data-testid="join-request" [attr.data-name]="request.name" [attr.data-request-id]="request.requestId">
            <span class="avatar" aria-hidden="true">{{ initial(request.name) }}</span>
            <span class="name">{{ request.name }}</span>
            <button
              #admitButton
              type="button"
              class="primary"
              data-testid="admit"
              [attr.aria-label]="i18n.t('room.requests.admitName', { name: request.name })"
              (click)="act($index, admit, request)"
            >
              {{ i18n.t('room.requests.admit') }}
            </button>
            <button
              type="button"
              data-testid="deny"
              [attr.aria-label]="i18n.t('room.requests.denyName', { name: request.name })"
              (click)="act($index, deny, request)"
            >
              {{ i18n.t('room.requests.deny') }}
            </button>
          </li>
        }
      </ul>
      <button type="button" class="wide" data-testid="admit-all" (click)="admitAll.emit()">{{ i18n.t('room.requests.admitAll') }}</button>
    </section>
  `,
  styles: `
    .requests { padding: 12px; display: grid; gap: 8px; box-shadow: 0 8px 24px rgba(0, 0, 0, 0.4); }
    h2 { font-size: 0.95rem; margin: 0; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; max-height: 40vh; overflow-y: auto; }
    li { display: flex; align-items: center; gap: 8px; min-width: 0; }
    .avatar {
      flex: none; width: 32px; height: 32px; border-radius: 50%; display: grid; place-items: center;
      background: var(--accent); font-weight: 600;
    }
    .name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    li button { flex: none; min-height: 36px; padding: 4px 12px; }
    .wide { width: 100%; }
  `,
})
export class JoinRequestsComponent {
  protected readonly i18n = inject(I18n);
  private readonly document = inject(DOCUMENT);
  readonly requests = input.required<JoinRequestView[]>();
  readonly admit = output<JoinRequestView>();
  readonly deny = output<JoinRequestView>();
  readonly admitAll = output<void>();

  private readonly admitButtons = viewChildren<ElementRef<HTMLButtonElement>>('admitButton');
  /** The row the host last acted on, while focus should follow to the row that takes its place. */
  private actedAt: number | null = null;

  constructor() {
    effect(() => {
      const buttons = this.admitButtons();
      const at = this.actedAt;
      const active = this.document.activeElement;
      // Only when the button that had focus went away with its row: never steal focus from elsewhere.
      if (at === null || (active && active !== this.document.body)) return;
      buttons[Math.min(at, buttons.length - 1)]?.nativeElement.focus();
      this.actedAt = null;
    });
  }

  protected act(index: number, what: { emit(request: JoinRequestView): void }, request: JoinRequestView): void {
    this.actedAt = index;
    what.emit(request);
  }

  protected initial(name: string): string {
    return name.trim().charAt(0).toUpperCase() || '?';
  }
}
