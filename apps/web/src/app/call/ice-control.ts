import { InjectionToken } from '@angular/core';

/*
 * Who controls ICE, and who restarts it, when Firefox meets a libwebrtc
 * browser (Chromium, Safari). Two interop faults, both seen with Chromium 156
 * and Firefox ESR 153 in the mixed-browsers e2e spec:
 *
 * - libwebrtc as the ICE controlling agent (it made the first offer) pairs its
 *   new candidates with Firefox's candidates of the previous ICE generation
 *   after a restart, whichever side started it. Firefox keeps its old ICE
 *   context until the new one connects, so it answers those checks; libwebrtc
 *   nominates that pair and sends media on it, which Firefox does not read
 *   (its new context stays `checking`: nothing nominates there). Media from
 *   libwebrtc to Firefox stops for good.
 * - Firefox answers an ICE-restart offer with `a=setup:active` even when it
 *   was the DTLS server, and libwebrtc refuses that answer ("Failed to set SSL
 *   role for the transport"); the pair then fails over and over.
 *
 * So Firefox makes the first offer of each of its pairs (it controls ICE and
 * stays the DTLS server) and makes every ICE-restart offer itself: a restart
 * offer from the other side is met with its own (see PeerSession's
 * `ownsIceRestarts`). docs/protocol.md, "Joining, and who offers".
 *
 * The libwebrtc side must not make a restart offer at all, not even one it
 * rolls back at once: making it turns libwebrtc into the controlling agent,
 * the rollback does not turn it back, both sides then claim control and the
 * ICE tie-breaker picks one at random (when libwebrtc won, the first fault
 * returned in about half of the restarts). So it asks Firefox with the
 * signal `{restartIce: true}` instead (PeerSession's `remoteOwnsIceRestarts`).
 */

/** Whether this browser's WebRTC is Firefox's (Gecko's): Firefox on desktop and Android, not Firefox on iOS (WebKit). */
export function offersFirstIn(userAgent: string): boolean {
  return /\bFirefox\/\d/.test(userAgent);
}

/** True where this browser must make the first offer and every ICE restart of its pairs (join's `offersFirst`). */
export const OFFERS_FIRST = new InjectionToken<boolean>('OFFERS_FIRST', {
  providedIn: 'root',
  factory: () => typeof navigator !== 'undefined' && offersFirstIn(navigator.userAgent),
});
