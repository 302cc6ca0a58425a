import { webcrypto } from 'node:crypto';
import { type DtlsFingerprints, sdpFingerprints, securityCode } from './security-code';

// jsdom has no crypto.subtle; Node's is the same Web Crypto API the browsers have.
const subtle = webcrypto.subtle as SubtleCrypto;

const ALICE = 'sha-256 6C:1F:0B:2E:95:7A:D4:33:81:4C:AE:29:F0:11:8B:57:C2:64:3D:E8:9A:05:7F:B1:46:D3:28:EC:70:9F:1B:A4';
const BOB = 'sha-256 0E:A7:53:C9:12:8D:FE:64:3B:71:D0:29:A5:86:4F:EB:17:C3:58:9A:2D:F6:B0:44:7E:13:CA:65:89:D2:3F:01';
const MALLORY = 'sha-256 9B:44:E1:07:5C:D8:2A:F3:61:BE:0D:97:45:F2:18:A6:C3:7B:E0:59:24:8D:B6:11:FA:03:6E:C7:92:3D:54:A8';

/** Worked out independently (Python's hashlib over the same input) when the derivation was written. */
const FIXED_CODE = '11479 29001 12812 76777';

const codeFor = (fingerprints: DtlsFingerprints) => securityCode(fingerprints, subtle);

describe('sdpFingerprints', () => {
  it('reads the fingerprint Chromium repeats in every m-section once', () => {
    const sdp = [
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      `a=fingerprint:${ALICE}`,
      'a=setup:actpass',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      `a=fingerprint:${ALICE}`,
      '',
    ].join('\r\n');
    expect(sdpFingerprints(sdp)).toEqual([ALICE]);
  });

  it('reads Firefox\'s session-level line and normalises the case of algorithm and hex', () => {
    const sdp = `v=0\na=fingerprint:SHA-256 ${BOB.slice(8).toLowerCase()}\nm=audio 9 UDP/TLS/RTP/SAVPF 109\n`;
    expect(sdpFingerprints(sdp)).toEqual([BOB]);
  });

  it('finds nothing in an SDP without DTLS', () => {
    expect(sdpFingerprints('v=0\r\nm=audio 9 RTP/AVP 0\r\n')).toEqual([]);
  });
});

describe('securityCode', () => {
  it('gives both sides of a pair the same code: four groups of five digits', async () => {
    const alicesView = await codeFor({ local: [ALICE], remote: [BOB] });
    const bobsView = await codeFor({ local: [BOB], remote: [ALICE] });
    expect(alicesView).toMatch(/^\d{5} \d{5} \d{5} \d{5}$/);
    expect(bobsView).toBe(alicesView);
  });

  it('stays the same number across versions of the app (a fixed vector)', async () => {
    // People on different versions read codes to each other: the derivation must never drift.
    await expect(codeFor({ local: [ALICE], remote: [BOB] })).resolves.toBe(FIXED_CODE);
  });

  it('differs on the two sides when someone in the middle swapped the fingerprints', async () => {
    // Mallory terminates DTLS towards each of them: each side sees Mallory's fingerprint as the remote one.
    const alicesView = await codeFor({ local: [ALICE], remote: [MALLORY] });
    const bobsView = await codeFor({ local: [BOB], remote: [MALLORY] });
    expect(alicesView).not.toBe(bobsView);
  });

  it('differs from pair to pair', async () => {
    const codes = new Set([
      await codeFor({ local: [ALICE], remote: [BOB] }),
      await codeFor({ local: [ALICE], remote: [MALLORY] }),
      await codeFor({ local: [BOB], remote: [MALLORY] }),
    ]);
    expect(codes.size).toBe(3);
  });

  it('does not depend on the order of several fingerprints of one side', async () => {
    const sha1 = 'sha-1 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD';
    await expect(codeFor({ local: [ALICE, sha1], remote: [BOB] })).resolves.toBe(
      await codeFor({ local: [BOB], remote: [sha1, ALICE] }),
    );
  });

  it('refuses to vouch for a side without a fingerprint, or without Web Crypto', async () => {
    await expect(codeFor({ local: [ALICE], remote: [] })).rejects.toThrow('no DTLS fingerprint');
    await expect(securityCode({ local: [ALICE], remote: [BOB] }, undefined)).rejects.toThrow('no Web Crypto');
  });
});
