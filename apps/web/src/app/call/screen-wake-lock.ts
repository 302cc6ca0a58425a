import { Injectable, inject } from '@angular/core';
import { PAGE_VISIBILITY, WAKE_LOCK } from '../core/browser.tokens';

/**
 * Keeps the screen on during a call (Screen Wake Lock, where the browser has
 * it): a phone that dims and locks mid-call stops the camera and, on iOS,
 * the whole page. The browser drops the lock whenever the page is hidden, so
 * it is asked for again each time the page is visible; `hold()` returns the
 * way to let go (on leave).
 */
@Injectable({ providedIn: 'root' })
export class ScreenWakeLock {
  private readonly wakeLock = inject(WAKE_LOCK);
  private readonly visibility = inject(PAGE_VISIBILITY);

  hold(): () => void {
    const wakeLock = this.wakeLock;
    if (!wakeLock) return () => undefined;
    let held = true;
    let sentinel: WakeLockSentinel | undefined;
    const acquire = async () => {
      if (!held || !this.visibility.visible() || (sentinel && !sentinel.released)) return;
      try {
        const granted = await wakeLock.request('screen');
        if (held) sentinel = granted;
        else await granted.release(); // left while the request was under way
      } catch {
        // Refused (battery saver, the page hidden meanwhile): the screen may dim; the call goes on.
      }
    };
    const stopWatching = this.visibility.onChange((visible) => {
      if (visible) void acquire();
    });
    void acquire();
    return () => {
      held = false;
      stopWatching();
      void sentinel?.release().catch(() => undefined);
      sentinel = undefined;
    };
  }
}
