import { TestBed } from '@angular/core/testing';
import { MemoryStorage, PREFERRED_LANGUAGES, STORAGE, VOLUME_ADJUSTABLE, volumeSticks } from '../core/browser.tokens';
import type { RemotePeer } from '../call/call.store';
import type { LinkView } from '../call/quality/quality-monitor';
import { linkStats } from '../call/quality/link-stats';
import { loadFixture } from '../../testing/stats-fixtures';
import { ParticipantTileComponent } from './participant-tile.component';

const PEER: RemotePeer = {
  peerId: 'member-0002',
  name: 'Ben',
  role: 'guest',
  media: { audio: true, video: true, screen: false },
  stream: null,
  health: 'connecting',
};

async function tile(peer: Partial<RemotePeer>, { volume = true, language = 'en' } = {}) {
  TestBed.configureTestingModule({
    providers: [
      { provide: VOLUME_ADJUSTABLE, useValue: volume },
      { provide: STORAGE, useValue: new MemoryStorage() },
      { provide: PREFERRED_LANGUAGES, useValue: [language] },
    ],
  });
  const fixture = TestBed.createComponent(ParticipantTileComponent);
  fixture.componentRef.setInput('peer', { ...PEER, ...peer });
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  return { fixture, element, text: () => element.querySelector('[data-testid="peer-health"]')?.textContent?.replace(/\s+/g, ' ').trim() };
}

describe('ParticipantTileComponent', () => {
  it('says "Could not connect" with the missing TURN server as the reason', async () => {
    const { text } = await tile({ health: 'failed', failure: 'no-turn' });
    expect(text()).toBe(
      'Could not connect A direct path is blocked and this server has no relay (TURN) set up. Ask the organiser to set up TURN, or try another network.',
    );
  });

  it('names a blocked network or a failed negotiation, in Japanese too', async () => {
    expect((await tile({ health: 'failed', failure: 'network' })).text()).toContain('The network blocks the connection');
    TestBed.resetTestingModule();
    expect((await tile({ health: 'failed', failure: 'negotiation' }, { language: 'ja' })).text()).toBe(
      '接続できませんでした ブラウザ同士で接続条件の交渉に失敗しました。',
    );
  });

  it('says only "Could not connect" where the reason is not known, and nothing once connected', async () => {
    const { fixture, text } = await tile({ health: 'failed' });
    expect(text()).toBe('Could not connect');
    fixture.componentRef.setInput('peer', { ...PEER, health: 'connected' });
    await fixture.whenStable();
    expect(text()).toBeUndefined();
  });

  it('has a volume slider that sets the video element’s volume, where the platform honours it', async () => {
    const { fixture, element } = await tile({ health: 'connected' });
    const slider = element.querySelector<HTMLInputElement>('[data-testid="peer-volume"]');
    expect(slider?.getAttribute('aria-label')).toBe('Volume of Ben');
    if (!slider) return;
    slider.value = '0.25';
    slider.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('video')?.volume).toBe(0.25);
  });

  it('has no volume slider where setting the volume does nothing (iOS)', async () => {
    const { element } = await tile({ health: 'connected' }, { volume: false });
    expect(element.querySelector('[data-testid="peer-volume"]')).toBeNull();
  });
});

describe('volumeSticks', () => {
  it('is true where the volume set reads back, false where the platform keeps it at 1 or throws', () => {
    expect(volumeSticks(document.createElement('audio'))).toBe(true);
    const ios = { get volume() { return 1; }, set volume(_value: number) { /* ignored, as on iOS */ } };
    expect(volumeSticks(ios)).toBe(false);
    const throwing = { get volume() { return 1; }, set volume(_value: number) { throw new Error('not supported'); } };
    expect(volumeSticks(throwing)).toBe(false);
  });

  describe('connection quality', () => {
    const [first, second] = loadFixture('chromium-relay').reports;
    const view = (level: LinkView['level'], reasons: LinkView['reasons'] = []): LinkView => ({
      level,
      reasons,
      stats: { ...linkStats(first, second), rttMs: 180, lossIn: 0.04 },
      poorRounds: 0,
    });

    it('shows no indicator until the link is connected, then its level', async () => {
      const { fixture, element } = await tile({ health: 'connecting' });
      fixture.componentRef.setInput('quality', view('good'));
      await fixture.whenStable();
      expect(element.querySelector('[data-testid="connection-quality"]')).toBeNull();
      fixture.componentRef.setInput('peer', { ...PEER, health: 'connected' });
      await fixture.whenStable();
      expect(element.querySelector<HTMLElement>('[data-testid="connection-quality"]')?.dataset['level']).toBe('good');
    });

    it('says what a fair link is at a glance, and the details on tap', async () => {
      const { fixture, element } = await tile({ health: 'connected' });
      fixture.componentRef.setInput('quality', view('fair', ['loss-in']));
      await fixture.whenStable();
      const indicator = element.querySelector<HTMLElement>('[data-testid="connection-quality"]');
      expect(indicator?.dataset['level']).toBe('fair');
      expect(indicator?.textContent?.trim()).toBe('Relayed, 180 ms, 4% loss');
      indicator?.querySelector('button')?.click();
      await fixture.whenStable();
      const details = element.querySelector('[data-testid="connection-quality-details"]')?.textContent ?? '';
      expect(details).toContain('Connection to Ben');
      expect(details).toContain('4% of what Ben sends is lost on the way to you.');
      expect(details).toContain('Going through the relay server (TURN)');
    });

    it('shows the name and says why there is no picture in low-bandwidth mode', async () => {
      const { fixture, element } = await tile({ health: 'connected' });
      fixture.componentRef.setInput('videoPaused', true);
      await fixture.whenStable();
      expect(element.getAttribute('data-video')).toBe('off');
      expect(element.querySelector('.avatar')?.textContent).toBe('B');
      expect(element.querySelector('[data-testid="video-paused"]')?.textContent?.trim()).toBe('Video paused (low-bandwidth mode)');
    });
  });
});
