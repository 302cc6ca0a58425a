import { generateHostKey, generatePeerId, generateRoomId, hashHostKey, hostKeyMatches } from './secrets';

describe('room and host secrets', () => {
  it('makes room ids of ten random lowercase letters as abc-defg-hij', () => {
    const ids = Array.from({ length: 500 }, generateRoomId);
    for (const id of ids) expect(id).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every letter shows up somewhere: the alphabet is used whole.
    expect(new Set(ids.join('').replace(/-/g, '')).size).toBe(26);
  });

  it('makes host keys of at least 128 random bits', () => {
    const key = generateHostKey();
    expect(Buffer.from(key, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(generateHostKey()).not.toBe(key);
  });

  it('stores only a hash and matches the right key alone', () => {
    const key = generateHostKey();
    const stored = hashHostKey(key);
    expect(stored).not.toContain(key);
    expect(hostKeyMatches(key, stored)).toBe(true);
    expect(hostKeyMatches(generateHostKey(), stored)).toBe(false);
    expect(hostKeyMatches(key, 'not-hex')).toBe(false);
  });

  it('makes url-safe peer ids', () => {
    expect(generatePeerId()).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
