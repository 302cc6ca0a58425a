import { ChangeDetectionStrategy, Component, DOCUMENT, type ElementRef, afterRenderEffect, inject, viewChild } from '@angular/core';
import { I18n } from '../core/i18n/i18n.service';
import { ConfirmDialogService } from './confirm-dialog.service';

/**
 * The one on-screen question of ConfirmDialogService, placed once in the
 * app's root. An `alertdialog` (screen readers read its title and message as
 * focus enters), modal: focus starts on Cancel (the safe answer, so a stray
 * Enter does nothing harmful), Tab and Shift+Tab cycle inside it, focus that
 * escapes (a click on the page behind) is brought back, Escape cancels, and
 * focus returns to whatever opened it.
 */
@Component({
  selector: 'app-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(document:keydown)': 'onKeydown($event)',
    '(document:focusin)': 'keepFocusInside($event)',
  },
  template: `
    @if (dialog.open(); as request) {
      <!-- mousedown on the backdrop would take focus to the page behind it -->
      <div class="backdrop" (mousedown)="$event.target === $event.currentTarget && $event.preventDefault()">
        <div
          #box
          class="dialog card"
          role="alertdialog"
          aria-modal="true"
          data-testid="confirm-dialog"
          [attr.aria-labelledby]="'confirm-title-' + request.id"
          [attr.aria-describedby]="'confirm-message-' + request.id"
        >
          <h2 [id]="'confirm-title-' + request.id">{{ request.title }}</h2>
          <p [id]="'confirm-message-' + request.id">{{ request.message }}</p>
          <div class="actions">
            <button #cancel type="button" class="secondary" data-testid="confirm-cancel" (click)="dialog.answer(false)">
              {{ i18n.t('dialog.cancel') }}
            </button>
            <button type="button" [class.danger]="request.danger" [class.primary]="!request.danger" data-testid="confirm-ok" (click)="dialog.answer(true)">
              {{ request.confirmLabel }}
            </button>
          </div>
        </div>
      </div>
    }
  `,
  styles: `
    .backdrop { position: fixed; inset: 0; z-index: 100; display: grid; place-items: center; padding: 16px; background: rgba(2, 6, 23, 0.72); }
    .dialog { width: min(440px, 100%); max-height: 100%; overflow-y: auto; }
    h2 { font-size: 1.15rem; margin: 0 0 8px; }
    p { margin: 0 0 20px; color: var(--muted); line-height: 1.5; }
    .actions { display: flex; justify-content: flex-end; flex-wrap: wrap; gap: 8px; }
  `,
})
export class ConfirmDialogComponent {
  protected readonly i18n = inject(I18n);
  protected readonly dialog = inject(ConfirmDialogService);
  private readonly document = inject(DOCUMENT);
  private readonly box = viewChild<ElementRef<HTMLElement>>('box');
  private readonly cancel = viewChild<ElementRef<HTMLButtonElement>>('cancel');

  constructor() {
    let opener: HTMLElement | null = null;
    let shown: number | null = null;
    afterRenderEffect(() => {
      const request = this.dialog.open();
      const cancel = this.cancel()?.nativeElement;
      if (request && cancel && request.id !== shown) {
        // A question replacing another keeps the first opener: that is where the person was.
        if (shown === null) opener = this.focused();
        shown = request.id;
        cancel.focus();
      } else if (!request && shown !== null) {
        shown = null;
        // The opener may be gone (the tile of a person who left meanwhile): then focus stays where the page puts it.
        if (opener?.isConnected) opener.focus();
        opener = null;
      }
    });
  }

  protected onKeydown(event: KeyboardEvent): void {
    const box = this.box()?.nativeElement;
    if (!this.dialog.open() || !box) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.dialog.answer(false);
    } else if (event.key === 'Tab') {
      const focusable = [...box.querySelectorAll<HTMLElement>('button:not([disabled])')];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = this.focused();
      const inside = active !== null && box.contains(active);
      if (event.shiftKey && (!inside || active === first)) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && (!inside || active === last)) {
        event.preventDefault();
        first?.focus();
      }
    }
  }

  protected keepFocusInside(event: FocusEvent): void {
    const box = this.box()?.nativeElement;
    if (!this.dialog.open() || !box || !(event.target instanceof Node) || box.contains(event.target)) return;
    this.cancel()?.nativeElement.focus();
  }

  private focused(): HTMLElement | null {
    const active = this.document.activeElement;
    return active instanceof HTMLElement && active !== this.document.body ? active : null;
  }
}
