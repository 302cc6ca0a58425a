/**
 * What this browser can do in a call, known before Join: a browser without
 * WebRTC would sit in the room with every tile "Connecting…" forever, so the
 * lobby says what is missing and what to use instead.
 */
export type CallSupport =
  /** Send and receive. */
  | { canJoin: true; canCapture: true; missing: null }
  /** No getUserMedia (some in-app and older browsers): joins to watch and listen. */
  | { canJoin: true; canCapture: false; missing: 'capture' }
  /** Plain http (browsers allow no camera there, and this app serves calls over https only), or no WebRTC at all. */
  | { canJoin: false; canCapture: false; missing: 'insecure' | 'webrtc' };

export interface BrowserAbilities {
  peerConnection: boolean;
  secureContext: boolean;
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined;
}

export function callSupport({ peerConnection, secureContext, mediaDevices }: BrowserAbilities): CallSupport {
  // Insecure first: on http the camera is missing too, and the cure is the https address, not another browser.
  if (!secureContext) return { canJoin: false, canCapture: false, missing: 'insecure' };
  if (!peerConnection) return { canJoin: false, canCapture: false, missing: 'webrtc' };
  if (typeof mediaDevices?.getUserMedia !== 'function') return { canJoin: true, canCapture: false, missing: 'capture' };
  return { canJoin: true, canCapture: true, missing: null };
}
