import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ErrorCode } from '@mesh-meet/protocol';
import { CallStore, type CallPhase } from '../call/call.store';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE } from '../core/browser.tokens';
import { I18n } from '../core/i18n/i18n.service';
import { AfterCallComponent } from './after-call.component';

/** The page after a call, for a phase and the error the call ended with. */
async function render(phase: CallPhase, error: ErrorCode | 'network' | null = null, language: 'en' | 'ja' = 'en') {
  TestBed.configureTestingModule({
    providers: [
      CallStore,
      provideRouter([]),
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [language] },
    ],
  });
  TestBed.inject(CallStore).setError(error);
  const fixture = TestBed.createComponent(AfterCallComponent);
  fixture.componentRef.setInput('phase', phase);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
  return { element, text, i18n: TestBed.inject(I18n), fixture };
}

describe('AfterCallComponent', () => {
  it('after leaving by choice: says so, offers Rejoin, gives no reason', async () => {
    const { text } = await render('left');
    expect(text('left')).toContain('You left the meeting');
    expect(text('after-reason')).toBeNull();
    expect(text('rejoin')).toBe('Rejoin');
  });

  it('after the server closed the connection: says why, in English and in Japanese', async () => {
    const { text, i18n, fixture } = await render('left', 'RATE_LIMITED');
    expect(text('left')).toBeNull();
    expect(text('disconnected')).toContain('The server closed your connection');
    expect(text('after-reason')).toBe('Too many messages or attempts from this browser. Wait a minute and try again.');
    expect(text('rejoin')).toBe('Rejoin');

    i18n.use('ja');
    await fixture.whenStable();
    expect(text('disconnected')).toContain('サーバーが会議への接続を切断しました');
    expect(text('after-reason')).toBe('このブラウザからの送信や試行が多すぎます。1分ほど待ってからもう一度お試しください。');
  });

  it('after removal: the removed page, without Rejoin', async () => {
    const { text } = await render('removed');
    expect(text('removed')).toContain('The host removed you from the meeting');
    expect(text('rejoin')).toBeNull();
  });

  it('after removal, in Japanese', async () => {
    const { text } = await render('removed', null, 'ja');
    expect(text('removed')).toContain('主催者によって会議から退出させられました');
  });

  it('after the host ended the meeting: no Rejoin', async () => {
    const { text } = await render('ended');
    expect(text('room-ended')).toContain('The host ended the meeting');
    expect(text('rejoin')).toBeNull();
  });

  it('after the host did not let them in: says so in English and Japanese, without Rejoin', async () => {
    const { text, i18n, fixture } = await render('denied');
    expect(text('join-denied')).toContain('The host did not let you in');
    expect(text('rejoin')).toBeNull();
    i18n.use('ja');
    await fixture.whenStable();
    expect(text('join-denied')).toContain('主催者は参加を承認しませんでした');
  });
});
