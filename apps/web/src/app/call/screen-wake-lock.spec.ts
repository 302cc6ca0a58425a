import { TestBed } from '@angular/core/testing';
import { FakePageVisibility } from '../../testing/fake-media-devices';
import { PAGE_VISIBILITY, WAKE_LOCK } from '../core/browser.tokens';
import { ScreenWakeLock } from './screen-wake-lock';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** navigator.wakeLock as a browser behaves: it hands out sentinels and releases them when the page hides. */
class FakeWakeLock {
  readonly sentinels: Array<{ released: boolean; release: jest.Mock }> = [];
  refuse = false;
  readonly request = jest.fn(async () => {
    if (this.refuse) throw Object.assign(new Error('not allowed'), { name: 'NotAllowedError' });
    const sentinel = { released: false, release: jest.fn(async () => void (sentinel.released = true)) };
    this.sentinels.push(sentinel);
    return sentinel as unknown as WakeLockSentinel;
  });
  /** What the browser does when the page is hidden. */
  dropAll(): void {
    for (const sentinel of this.sentinels) sentinel.released = true;
  }
}

function setup(wakeLock: FakeWakeLock | undefined) {
  const visibility = new FakePageVisibility();
  TestBed.configureTestingModule({
    providers: [
      { provide: WAKE_LOCK, useValue: wakeLock },
      { provide: PAGE_VISIBILITY, useValue: visibility },
    ],
  });
  return { keeper: TestBed.inject(ScreenWakeLock), visibility };
}

describe('ScreenWakeLock', () => {
  it('asks for the screen lock when the call starts and releases it on leave', async () => {
    const wakeLock = new FakeWakeLock();
    const { keeper, visibility } = setup(wakeLock);
    const release = keeper.hold();
    await settle();
    expect(wakeLock.request).toHaveBeenCalledWith('screen');
    release();
    expect(wakeLock.sentinels[0].release).toHaveBeenCalled();
    expect(visibility.listenerCount).toBe(0);
  });

  it('asks again when the page is visible again (the browser dropped it while hidden), and not twice while held', async () => {
    const wakeLock = new FakeWakeLock();
    const { keeper, visibility } = setup(wakeLock);
    const release = keeper.hold();
    await settle();
    visibility.set(true);
    await settle();
    expect(wakeLock.request).toHaveBeenCalledTimes(1);
    visibility.set(false);
    wakeLock.dropAll();
    visibility.set(true);
    await settle();
    expect(wakeLock.request).toHaveBeenCalledTimes(2);
    release();
  });

  it('releases a lock granted after leaving', async () => {
    const wakeLock = new FakeWakeLock();
    const release = setup(wakeLock).keeper.hold();
    release();
    await settle();
    expect(wakeLock.sentinels[0].released).toBe(true);
  });

  it('goes on quietly where the browser refuses it or has none', async () => {
    const wakeLock = new FakeWakeLock();
    wakeLock.refuse = true;
    const release = setup(wakeLock).keeper.hold();
    await settle();
    expect(release).not.toThrow();
    TestBed.resetTestingModule();
    const none = setup(undefined);
    expect(() => none.keeper.hold()()).not.toThrow();
    expect(none.visibility.listenerCount).toBe(0);
  });
});
