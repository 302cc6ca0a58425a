import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { CLIPBOARD } from '../core/browser.tokens';
import { I18n } from '../core/i18n/i18n.service';

/** Copies `text` to the clipboard and says so for a moment. */
@Component({
  selector: 'app-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" class="secondary" (click)="copy()">
    {{ copied() ? i18n.t('home.created.copied') : (label() || i18n.t('home.created.copy')) }}
  </button>`,
})
export class CopyButtonComponent {
  protected readonly i18n = inject(I18n);
  private readonly clipboard = inject(CLIPBOARD);
  readonly text = input.required<string>();
  readonly label = input('');
  protected readonly copied = signal(false);

  async copy(): Promise<void> {
    try {
      if (!this.clipboard) return;
      await this.clipboard.writeText(this.text());
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    } catch {
      // No clipboard permission (insecure context): the link is on screen to copy by hand.
    }
  }
}
