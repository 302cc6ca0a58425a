import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';
import type { LinkView } from './quality-monitor';
import { linkDetails, linkSummary } from './quality-words';

/**
 * The quality of one link on its tile: three bars (good / fair / poor), and on
 * tap or hover what that means in plain words ("Relayed, 180 ms, 4% loss",
 * then what is wrong). Nothing but text and CSS: it re-renders once per
 * sampling round (2 s), only when its view changed.
 */
@Component({
  selector: 'app-connection-quality',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'connection-quality',
    '[attr.data-level]': "view()?.level ?? 'unknown'",
    '[class.open]': 'open()',
    '(mouseenter)': 'hovered.set(true)',
    '(mouseleave)': 'hovered.set(false)',
  },
  template: `
    <button type="button" class="bars" [attr.aria-label]="label()" [attr.aria-expanded]="open()" (click)="pinned.set(!pinned())">
      <span class="bar b1"></span><span class="bar b2"></span><span class="bar b3"></span>
      @if (summary(); as summary) {
        <span class="summary">{{ summary }}</span>
      }
    </button>
    @if (open()) {
      <div class="details" role="status" data-testid="connection-quality-details">
        <strong>{{ i18n.t('quality.details', { name: name() }) }}</strong>
        @for (line of details(); track $index) {
          <p>{{ line }}</p>
        }
      </div>
    }
  `,
  styles: `
    /* The whole tile above its caption, so the details can scroll within the tile (which clips) on a small phone tile; clicks pass through to the tile. */
    :host { position: absolute; top: 6px; left: 6px; right: 6px; bottom: 40px; z-index: 2; font-size: 0.75rem; pointer-events: none; }
    .bars, .details { pointer-events: auto; }
    .bars { display: inline-flex; align-items: flex-end; gap: 2px; padding: 4px 6px; min-height: 28px; border: 0; border-radius: 6px;
            background: rgb(0 0 0 / 55%); color: #fff; cursor: pointer; font: inherit; }
    .bar { width: 4px; background: rgb(255 255 255 / 35%); border-radius: 1px; }
    .b1 { height: 6px; } .b2 { height: 10px; } .b3 { height: 14px; }
    :host([data-level='good']) .bar { background: #3ecf6e; }
    :host([data-level='fair']) .b1, :host([data-level='fair']) .b2 { background: #f2c230; }
    :host([data-level='poor']) .b1 { background: #ff5a4f; }
    .summary { margin-left: 6px; white-space: nowrap; }
    .details { position: absolute; top: 34px; left: 0; width: max-content; max-width: min(280px, 100%); max-height: calc(100% - 34px);
               overflow-y: auto; padding: 8px 10px; border-radius: 8px; background: rgb(0 0 0 / 85%); color: #fff; line-height: 1.35; }
    .details p { margin: 4px 0 0; }
    @media (max-width: 480px) { .summary { display: none; } }
  `,
})
export class ConnectionQualityComponent {
  protected readonly i18n = inject(I18n);
  readonly view = input<LinkView | null>(null);
  readonly name = input.required<string>();
  protected readonly pinned = signal(false);
  protected readonly hovered = signal(false);
  protected readonly open = computed(() => this.pinned() || this.hovered());

  protected readonly summary = computed(() => {
    const view = this.view();
    return view && view.level !== 'good' ? linkSummary(view.stats, (key, values) => this.i18n.t(key, values)) : null;
  });

  protected readonly label = computed(() => {
    const view = this.view();
    if (!view) return this.i18n.t('quality.level.unknown');
    const summary = linkSummary(view.stats, (key, values) => this.i18n.t(key, values));
    return `${this.i18n.t(`quality.level.${view.level}`)}${summary ? `: ${summary}` : ''}`;
  });

  protected readonly details = computed(() => {
    const view = this.view();
    if (!view) return [this.i18n.t('quality.level.unknown')];
    return linkDetails(view.stats, view, this.name(), (key, values) => this.i18n.t(key, values));
  });
}
