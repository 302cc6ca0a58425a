import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type MeetingReport, type ReportAttendance, type ReportLink, normalizeRoomId } from '@mesh-meet/protocol';
import { IdentityStore } from '../core/identity.store';
import { I18n } from '../core/i18n/i18n.service';
import { LanguageSwitchComponent } from '../shared/language-switch.component';
import { attendanceCsv } from './attendance-csv';
import { summaryLines } from './finding-words';
import { QualityChartComponent } from './quality-chart.component';
import { ReportClient } from './report.client';

type State = { kind: 'loading' | 'refused' | 'not-found' | 'failed' } | { kind: 'loaded'; report: MeetingReport };

interface Person {
  row: ReportAttendance;
  summary: string[];
  links: ReportLink[];
}

/**
 * /r/:roomId/report — the host's meeting report, during and after the
 * meeting: who was there and for how long, each person's links over time,
 * and why things went wrong in plain words. Only the browser that holds the
 * host key (IdentityStore) asks; everyone else is refused here, and the
 * server refuses a wrong key too. Lazy-loaded: its code reaches only hosts.
 */
@Component({
  selector: 'app-report-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, QualityChartComponent, LanguageSwitchComponent],
  templateUrl: './report.page.html',
  styleUrl: './report.page.css',
})
export class ReportPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly identity = inject(IdentityStore);
  private readonly client = inject(ReportClient);

  readonly roomId = input.required<string>();
  protected readonly canonicalRoomId = computed(() => normalizeRoomId(this.roomId()) ?? this.roomId());
  protected readonly state = signal<State>({ kind: 'loading' });
  protected readonly report = computed(() => {
    const state = this.state();
    return 'report' in state ? state.report : null;
  });

  /** The meeting's span, shared by every chart so their times line up. */
  protected readonly span = computed(() => {
    const report = this.report();
    if (!report) return { from: 0, to: 1 };
    const times = report.links.flatMap((link) => link.samples.map((sample) => Date.parse(sample.at) - sample.windowSec * 1000));
    const ends = report.links.flatMap((link) => link.samples.map((sample) => Date.parse(sample.at)));
    const from = Math.min(Date.parse(report.room.createdAt), ...times);
    const to = Math.max(from + 1, report.room.endedAt ? Date.parse(report.room.endedAt) : 0, ...ends);
    return { from, to };
  });

  protected readonly people = computed<Person[]>(() => {
    const report = this.report();
    if (!report) return [];
    const t = (key: Parameters<I18n['t']>[0], values?: Record<string, string | number>) => this.i18n.t(key, values);
    return report.attendance.map((row) => {
      const summary = report.summaries.find((candidate) => candidate.participationId === row.participationId);
      return {
        row,
        summary: summary ? summaryLines(summary, t, (iso) => this.time(iso)) : [],
        links: report.links.filter((link) => link.fromParticipationId === row.participationId),
      };
    });
  });

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    const hostKey = this.identity.hostKey(this.canonicalRoomId());
    // No key in this browser: not the host's browser. Nothing is asked of the server.
    if (!hostKey) return this.state.set({ kind: 'refused' });
    const result = await this.client.load(this.canonicalRoomId(), hostKey);
    this.state.set(result.ok ? { kind: 'loaded', report: result.report } : { kind: result.reason });
  }

  protected time(iso: string): string {
    return new Intl.DateTimeFormat(this.i18n.language(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  }

  protected dateTime(iso: string): string {
    return new Intl.DateTimeFormat(this.i18n.language(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  }

  protected duration(seconds: number): string {
    const whole = Math.round(seconds);
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = whole % 60;
    return h ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  }

  protected reason(row: ReportAttendance): string {
    if (!row.leftAt) return this.i18n.t('report.stillHere');
    const reason = row.leftReason;
    return reason === 'left' || reason === 'removed' || reason === 'ended' || reason === 'disconnected' ? this.i18n.t(`report.reason.${reason}`) : (reason ?? '');
  }

  protected downloadCsv(report: MeetingReport): void {
    this.download(`attendance-${report.room.roomId}.csv`, attendanceCsv(report.attendance), 'text/csv;charset=utf-8');
  }

  protected downloadJson(report: MeetingReport): void {
    const body = { room: report.room, links: report.links, truncated: report.truncated };
    this.download(`quality-${report.room.roomId}.json`, `${JSON.stringify(body, null, 2)}\n`, 'application/json');
  }

  private download(name: string, text: string, type: string): void {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = name;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
