/**
 * Room ids are ten lowercase letters shown as `abc-defg-hij`: easy to read out
 * and type on a phone, and with 26^10 (about 47 bits) of randomness plus rate
 * limits, not guessable.
 */
export const ROOM_ID_PATTERN = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;
export const ROOM_ID_LETTERS = 10;

/**
 * Accepts what a person types (upper case, spaces, missing or extra dashes)
 * and returns the canonical form, or null when it cannot be a room id.
 */
export function normalizeRoomId(input: string): string | null {
  const letters = input.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-z]{10}$/.test(letters)) return null;
  return `${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7)}`;
}

export function isRoomId(value: string): boolean {
  return ROOM_ID_PATTERN.test(value);
}
