/**
 * What the load generator sends: `signal` payloads shaped and sized like a
 * browser's. An offer or answer from Chromium with one audio and one video
 * transceiver is 4-6 KB of SDP; a trickled ICE candidate is about 200 bytes.
 * A browser sends one description and a handful of candidates per peer
 * connection, so one message in five is a description here.
 *
 * The payloads carry a marker (`#BM<run>.<seq>.<to>.<sentMicros>#`) inside
 * the SDP or the candidate string, the only free text the protocol allows:
 * the receiver reads the send time and the message number from it without
 * parsing the whole message.
 */

import type { SignalData } from '@mesh-meet/protocol';

const SDP_LINES = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Ab3d',
  'a=ice-pwd:s5Yqkz3XbVgFq0o2Qm9cR8e1',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 5B:0D:A4:1C:7E:9F:22:31:8A:6B:CC:40:11:2E:9D:F3:7A:55:19:0E:BB:62:D4:28:93:1F:E7:4C:06:A8:3D:71',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendrecv',
  'a=msid:3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20 8d2a6c1e-7b34-4f0a-a9d2-55c3e1f0b7a4',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1719470112 cname:q8Yb1mZ0uQx7pJ3c',
  'a=ssrc:1719470112 msid:3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20 8d2a6c1e-7b34-4f0a-a9d2-55c3e1f0b7a4',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 35 36 37 38 102 103 104 105 106 107 108 109 127 125 39 40 41 42 43 44 45 46 47 48 112 113 114 115 116',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Ab3d',
  'a=ice-pwd:s5Yqkz3XbVgFq0o2Qm9cR8e1',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 5B:0D:A4:1C:7E:9F:22:31:8A:6B:CC:40:11:2E:9D:F3:7A:55:19:0E:BB:62:D4:28:93:1F:E7:4C:06:A8:3D:71',
  'a=setup:actpass',
  'a=mid:1',
  'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:13 urn:3gpp:video-orientation',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type',
  'a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing',
  'a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'a=sendrecv',
  'a=msid:3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20 c41e7d09-2f5b-48a6-b3e1-9a07d6c2f815',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  ...videoCodecLines(),
  'a=ssrc-group:FID 2264891532 3310942271',
  'a=ssrc:2264891532 cname:q8Yb1mZ0uQx7pJ3c',
  'a=ssrc:2264891532 msid:3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20 c41e7d09-2f5b-48a6-b3e1-9a07d6c2f815',
  'a=ssrc:3310942271 cname:q8Yb1mZ0uQx7pJ3c',
  'a=ssrc:3310942271 msid:3f7c2b8e-5d41-4c55-9e0b-0b5f1d6f1a20 c41e7d09-2f5b-48a6-b3e1-9a07d6c2f815',
];

function videoCodecLines(): string[] {
  const codecs = ['VP8/90000', 'VP9/90000', 'H264/90000', 'AV1/90000', 'H265/90000'];
  const lines: string[] = [];
  let payloadType = 96;
  for (let i = 0; i < 8; i += 1) {
    const codec = codecs[i % codecs.length];
    lines.push(`a=rtpmap:${payloadType} ${codec}`);
    for (const feedback of ['goog-remb', 'transport-cc', 'ccm fir', 'nack', 'nack pli']) {
      lines.push(`a=rtcp-fb:${payloadType} ${feedback}`);
    }
    lines.push(`a=fmtp:${payloadType} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f`);
    lines.push(`a=rtpmap:${payloadType + 1} rtx/90000`, `a=fmtp:${payloadType + 1} apt=${payloadType}`);
    payloadType += 2;
  }
  return lines;
}

/** Where the marker goes; replaced in the serialized template, never sent. */
const SLOT = '\u0000';
const SLOT_JSON = '\\u0000';

export const SDP_TEXT = `${SDP_LINES.join('\r\n')}\r\na=x-bench:${SLOT}\r\n`;
export const CANDIDATE_TEXT = `candidate:842163049 1 udp 1677729535 192.0.2.10 52231 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Ab3d network-id 1 network-cost 10 x-bench ${SLOT}`;

export const OFFER: SignalData = { description: { type: 'offer', sdp: SDP_TEXT } };
export const ANSWER: SignalData = { description: { type: 'answer', sdp: SDP_TEXT } };
export const CANDIDATE: SignalData = {
  candidate: { candidate: CANDIDATE_TEXT, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'Ab3d' },
};

/** A serialized frame split where the marker goes: send `before + marker + after`. */
export type FrameTemplate = readonly [before: string, after: string];

export function splitAtSlot(serialized: string): FrameTemplate {
  const at = serialized.indexOf(SLOT_JSON);
  if (at < 0 || serialized.indexOf(SLOT_JSON, at + 1) >= 0) throw new Error('template needs exactly one slot');
  return [serialized.slice(0, at), serialized.slice(at + SLOT_JSON.length)];
}

export const MARKER_START = '#BM';

export function marker(run: number, seq: number, to: number, sentMicros: number): string {
  return `${MARKER_START}${run}.${seq}.${to}.${sentMicros}#`;
}

export interface ParsedMarker {
  run: number;
  seq: number;
  to: number;
  sentMicros: number;
}

/** Reads the marker out of a received frame; null when there is none. */
export function readMarker(frame: string): ParsedMarker | null {
  const start = frame.indexOf(MARKER_START);
  if (start < 0) return null;
  const end = frame.indexOf('#', start + MARKER_START.length);
  if (end < 0) return null;
  const parts = frame.slice(start + MARKER_START.length, end).split('.');
  if (parts.length !== 4) return null;
  const [run, seq, to, sentMicros] = parts.map(Number);
  return { run, seq, to, sentMicros };
}
