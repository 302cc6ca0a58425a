import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MeetingReport } from '@mesh-meet/protocol';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE } from '../core/browser.tokens';
import { IdentityStore } from '../core/identity.store';
import { ReportClient, type ReportResult } from './report.client';
import { ReportPage } from './report.page';

const ROOM = 'abc-defg-hij';
const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 10, 29, 14, minute, second)).toISOString();
const measures = {
  windowSec: 10, rttMs: 40, lossIn: 0, lossOut: 0, jitterMs: 4, bitrateIn: 500_000, bitrateOut: 500_000, fpsIn: 30, frameHeightIn: 480,
  freezeCount: 0, totalFreezesDuration: 0, localCandidateType: 'host', remoteCandidateType: 'host', relayProtocol: null,
  qualityLimitationReason: 'none', iceRestarts: 0,
} as const;
const REPORT: MeetingReport = {
  room: { roomId: ROOM, name: 'Weekly', createdAt: at(0), endedAt: at(30) },
  attendance: [
    { participationId: 'p1', peerId: 'P1', userId: 'u1', name: 'Hana', role: 'host', joinedAt: at(0, 5), leftAt: at(30), leftReason: 'ended', durationSeconds: 1795 },
    { participationId: 'p2', peerId: 'P2', userId: 'u2', name: 'Kumi', role: 'guest', joinedAt: at(1), leftAt: null, leftReason: null, durationSeconds: 65 },
  ],
  links: [
    { from: 'Hana', to: 'Kumi', fromParticipationId: 'p1', toParticipationId: 'p2', fromPeerId: 'P1', toPeerId: 'P2', samples: [{ at: at(2), ...measures }, { at: at(3), ...measures, freezeCount: 3, totalFreezesDuration: 4.2 }] },
    { from: 'Kumi', to: 'Hana', fromParticipationId: 'p2', toParticipationId: 'p1', fromPeerId: 'P2', toPeerId: 'P1', samples: [{ at: at(2), ...measures }] },
  ],
  summaries: [
    { participationId: 'p1', name: 'Hana', findings: [], text: 'No trouble.' },
    { participationId: 'p2', name: 'Kumi', findings: [{ kind: 'freezes', count: 3, durationSec: 4.2 }, { kind: 'uplink-limited', cause: 'bandwidth', periods: [{ from: at(3), to: at(5) }] }], text: '…' },
  ],
  truncated: false,
  retentionDays: 30,
};

async function render(options: { hostKey?: string; result?: ReportResult; language?: 'en' | 'ja' }) {
  const load = jest.fn(async () => options.result ?? { ok: true as const, report: REPORT });
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [options.language ?? 'en'] },
      { provide: ReportClient, useValue: { load } },
    ],
  });
  if (options.hostKey) TestBed.inject(IdentityStore).rememberHostKey(ROOM, options.hostKey);
  const fixture = TestBed.createComponent(ReportPage);
  fixture.componentRef.setInput('roomId', ROOM);
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const all = (testId: string) => [...element.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
  return { element, all, load };
}

describe('ReportPage', () => {
  it('refuses a browser without the host key, without asking the server', async () => {
    const { all, load } = await render({});
    expect(all('report-refused')[0]?.textContent).toContain('Only the host can see this report');
    expect(load).not.toHaveBeenCalled();
  });

  it('refuses when the server refuses the key', async () => {
    const { all, load } = await render({ hostKey: 'wrong', result: { ok: false, reason: 'refused' } });
    expect(load).toHaveBeenCalledWith(ROOM, 'wrong');
    expect(all('report-refused')).toHaveLength(1);
    expect(all('attendance-row')).toHaveLength(0);
  });

  it('shows attendance, a chart per link with its freezes, and each person’s summary in words', async () => {
    const { all } = await render({ hostKey: 'key' });
    expect(all('attendance-row').map((row) => row.dataset['name'])).toEqual(['Hana', 'Kumi']);
    expect(all('attendance-row')[1].textContent).toContain('still here');
    expect(all('attendance-row')[0].textContent).toContain('29:55');
    expect(all('quality-chart')).toHaveLength(2);
    expect(all('quality-chart')[0].querySelectorAll('line.freeze')).toHaveLength(1);
    const [hana, kumi] = all('quality-summary');
    expect(hana.textContent).toContain('No trouble measured.');
    expect(kumi.textContent).toContain('Others saw Kumi’s video freeze 3 times, 4.2 s in all.');
    expect(kumi.textContent).toMatch(/Kumi’s uplink was limited by bandwidth \d\d:\d\d( [AP]M)?–\d\d:\d\d( [AP]M)?\./);
    expect(all('export-csv')).toHaveLength(1);
  });

  it('speaks Japanese', async () => {
    const { all } = await render({ hostKey: 'key', language: 'ja' });
    expect(all('quality-summary')[1].textContent).toContain('他の参加者には Kumi さんの映像が 3 回止まって見えました');
    expect(all('export-csv')[0].textContent).toContain('CSV');
  });
});
