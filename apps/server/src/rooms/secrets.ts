import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ROOM_ID_LETTERS } from '@mesh-meet/protocol';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `abc-defg-hij` from a cryptographic source: never sequential, never derived from time. */
export function generateRoomId(): string {
  let letters = '';
  for (let i = 0; i < ROOM_ID_LETTERS; i += 1) letters += LETTERS[randomInt(LETTERS.length)];
  return `${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7)}`;
}

/** 192 random bits, base64url (32 characters). */
export function generateHostKey(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Secrets (host keys, resume tokens) are stored only as this hash. A fast hash
 * suffices: they are random with at least 128 bits, nothing to brute-force.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const presentedHash = Buffer.from(hashSecret(presented), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presentedHash.length && timingSafeEqual(presentedHash, stored);
}

export const hashHostKey = hashSecret;
export const hostKeyMatches = secretMatches;

/** 144 random bits, base64url: proves a reconnecting browser is the one that joined. */
export function generateResumeToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Peer ids name one connection in one room: 16 url-safe random characters. */
export function generatePeerId(): string {
  return randomBytes(12).toString('base64url');
}
