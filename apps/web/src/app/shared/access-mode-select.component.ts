import { ChangeDetectionStrategy, Component, type ElementRef, effect, inject, input, output, viewChild } from '@angular/core';
import { ACCESS_MODES, type AccessMode } from '../call/call.store';
import { I18n } from '../core/i18n/i18n.service';

/**
 * Who may join a meeting: a labelled <select> (data-testid `access-mode`,
 * values `open`, `ask`, `locked`), the same on the home page and in the call.
 * A native select: keyboard, screen readers and phones' pickers come with it.
 */
@Component({
  selector: 'app-access-mode-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label [for]="selectId()">{{ i18n.t('home.create.access') }}</label>
    <select #select [id]="selectId()" data-testid="access-mode" [disabled]="disabled()" (change)="changed($event)">
      @for (mode of modes; track mode) {
        <option [value]="mode" [selected]="mode === value()">{{ i18n.t(labels[mode]) }}</option>
      }
    </select>
  `,
  styles: `
    :host { display: grid; gap: 4px; }
    label { font-size: 0.9rem; }
  `,
})
export class AccessModeSelectComponent {
  protected readonly i18n = inject(I18n);
  protected readonly modes = ACCESS_MODES;
  protected readonly labels = { open: 'access.open', ask: 'access.ask', locked: 'access.locked' } as const;
  readonly value = input.required<AccessMode>();
  readonly selectId = input('access-mode');
  readonly disabled = input(false);
  readonly valueChange = output<AccessMode>();
  private readonly select = viewChild.required<ElementRef<HTMLSelectElement>>('select');

  constructor() {
    // The select shows the value it is given, never one the owner did not take (a change the server refused).
    effect(() => (this.select().nativeElement.value = this.value()));
  }

  protected changed(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const value = select.value as AccessMode;
    if (ACCESS_MODES.includes(value)) this.valueChange.emit(value);
    select.value = this.value();
  }
}
