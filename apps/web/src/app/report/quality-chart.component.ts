import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ReportLink } from '@mesh-meet/protocol';
import { I18n } from '../core/i18n/i18n.service';
import { type Metric, chartGeometry } from './chart-geometry';

const WIDTH = 600;
const ROW = 34;
const LABEL: Record<Metric, 'report.chart.rtt' | 'report.chart.loss' | 'report.chart.fps'> = {
  rtt: 'report.chart.rtt',
  loss: 'report.chart.loss',
  fps: 'report.chart.fps',
};

/** One link's timeline as a small plain SVG: delay, loss and received frame rate, freezes marked in red. */
@Component({
  selector: 'app-quality-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'quality-chart', '[attr.data-from]': 'link().from', '[attr.data-to]': 'link().to' },
  template: `
    <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" preserveAspectRatio="none" role="img" [attr.aria-label]="label()">
      @for (row of geometry().rows; track row.metric) {
        <rect x="0" [attr.y]="row.top" [attr.width]="width" [attr.height]="rowHeight - 2" class="row" />
        <path [attr.d]="row.path" [class]="'line ' + row.metric" vector-effect="non-scaling-stroke" />
      }
      @for (freeze of geometry().freezes; track freeze.at) {
        <line [attr.x1]="freeze.x" [attr.x2]="freeze.x" y1="0" [attr.y2]="height" class="freeze" vector-effect="non-scaling-stroke">
          <title>{{ i18n.t('report.chart.freeze') }}: {{ freeze.count }}× {{ freeze.seconds }} s</title>
        </line>
      }
    </svg>
    <div class="legend">
      @for (row of geometry().rows; track row.metric) {
        <span [class]="'key ' + row.metric">{{ i18n.t(labels[row.metric]) }} ≤ {{ row.max }}</span>
      }
      @if (geometry().freezes.length) {
        <span class="key freeze">{{ i18n.t('report.chart.freeze') }} ({{ geometry().freezes.length }})</span>
      }
    </div>
  `,
  styles: `
    :host { display: block; }
    svg { display: block; width: 100%; height: 102px; }
    .row { fill: var(--surface-2, #1e293b); }
    .line { fill: none; stroke-width: 2; }
    .rtt { stroke: #60a5fa; color: #60a5fa; }
    .loss { stroke: #f59e0b; color: #f59e0b; }
    .fps { stroke: #34d399; color: #34d399; }
    .freeze { stroke: #ef4444; stroke-width: 2; color: #ef4444; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.75rem; margin-top: 4px; }
    .key::before { content: ''; display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; background: currentColor; }
  `,
})
export class QualityChartComponent {
  protected readonly i18n = inject(I18n);
  readonly link = input.required<ReportLink>();
  /** The meeting's time span (ms), shared by every chart. */
  readonly from = input.required<number>();
  readonly to = input.required<number>();
  protected readonly width = WIDTH;
  protected readonly rowHeight = ROW;
  protected readonly height = ROW * 3;
  protected readonly labels = LABEL;
  protected readonly geometry = computed(() =>
    chartGeometry(this.link().samples, { from: this.from(), to: this.to(), width: WIDTH, rowHeight: ROW }),
  );
  protected readonly label = computed(() => this.i18n.t('report.chart.label', { from: this.link().from, to: this.link().to }));
}
