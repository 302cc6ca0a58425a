/**
 * The security code of one pair of people: a short number both browsers
 * derive from the two DTLS certificate fingerprints of their peer connection.
 *
 * Media is encrypted with keys agreed in a DTLS handshake, and each side
 * accepts the other's certificate only if it matches the fingerprint in the
 * session description it applied. Those descriptions travel through the
 * server, so a server (or anyone who controls it) could swap in its own
 * fingerprints and sit in the middle, decrypting and re-encrypting. Both
 * sides would then hold different fingerprint pairs: the same code on both
 * screens means nobody did.
 */

/** Each side's fingerprints (`sha-256 AB:CD:…`), as read from the descriptions applied on this connection. */
export interface DtlsFingerprints {
  local: readonly string[];
  remote: readonly string[];
}

/** Four groups of five digits: about 66 bits, short enough to read out, far too many to guess. */
const GROUPS = 4;
const DIGITS_PER_GROUP = 5;
/** Each group comes from 5 bytes of the hash, as in Signal's safety numbers (40 bits modulo 10^5: no visible bias). */
const BYTES_PER_GROUP = 5;
/** Names what is hashed, so this code is never the same number as another use of the same fingerprints. */
const CONTEXT = 'mesh-meet security code v1';

/**
 * The `a=fingerprint:` lines of an SDP (session or media level), normalised
 * (algorithm lower case, hex upper case) and without repeats: Chromium writes
 * the same line in every m-section, Firefox once at session level.
 */
export function sdpFingerprints(sdp: string): string[] {
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/.exec(line);
    if (match) found.add(`${match[1].toLowerCase()} ${match[2].toUpperCase()}`);
  }
  return [...found].sort();
}

/**
 * The code for a pair, the same on both sides: one side's local fingerprints
 * are the other's remote ones, so the two sets are put in a fixed (sorted)
 * order rather than local-then-remote. Rejects when either side has none
 * (nothing to vouch for) or the browser has no Web Crypto (insecure context).
 */
export async function securityCode(
  fingerprints: DtlsFingerprints,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<string> {
  if (!fingerprints.local.length || !fingerprints.remote.length) throw new Error('a side has no DTLS fingerprint');
  if (!subtle) throw new Error('no Web Crypto in this context');
  const sides = [fingerprints.local, fingerprints.remote].map((side) => [...side].sort().join(',')).sort();
  const input = new TextEncoder().encode([CONTEXT, ...sides].join('\n'));
  const hash = new Uint8Array(await subtle.digest('SHA-256', input));
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group += 1) {
    let value = 0;
    // 40 bits stay exact in a double (53 bits), so plain arithmetic is enough.
    for (const byte of hash.subarray(group * BYTES_PER_GROUP, (group + 1) * BYTES_PER_GROUP)) value = value * 256 + byte;
    groups.push(String(value % 10 ** DIGITS_PER_GROUP).padStart(DIGITS_PER_GROUP, '0'));
  }
  return groups.join(' ');
}
