import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { I18n } from '../core/i18n/i18n.service';

@Component({
  selector: 'app-language-switch',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" class="link" data-testid="language-switch" (click)="i18n.toggle()">
    {{ i18n.t('language.switch') }}
  </button>`,
})
export class LanguageSwitchComponent {
  protected readonly i18n = inject(I18n);
}
