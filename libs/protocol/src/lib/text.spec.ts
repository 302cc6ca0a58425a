import { createRoomRequestSchema } from './rest';
import { chatRequestSchema, joinRequestSchema } from './schemas';
import { cleanHumanText, hasVisibleText } from './text';
import { parsePayload } from './parse';

describe('cleanHumanText', () => {
  it('composes to NFC, so one name is one string however it was typed', () => {
    expect(cleanHumanText('Cafe\u0301')).toBe('Café');
    expect(cleanHumanText('Cafe\u0301')).toBe(cleanHumanText('Caf\u00e9'));
  });

  it('removes bidi embeddings, overrides, isolates and marks', () => {
    const bidi = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(cleanHumanText(`Eve${bidi}gnp.exe`)).toBe('Evegnp.exe');
  });

  it('removes zero-width and other invisible format characters, and C0/C1 controls', () => {
    expect(cleanHumanText('A\u200Bd\u2060m\uFEFFi\u00ADn\u0000\u0007\u001B[31m\u0085\u009B!')).toBe('Admin[31m !');
    expect(cleanHumanText('tag\u{E0041}\u{E007F}s')).toBe('tags');
  });

  it('keeps joiners inside emoji sequences and words, drops them elsewhere', () => {
    expect(cleanHumanText('👩\u200D💻')).toBe('👩\u200D💻');
    expect(cleanHumanText('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(cleanHumanText('\u200DBob\u200C \u200C')).toBe('Bob');
  });

  it('keeps line breaks only where allowed, unifying CR, CRLF and U+2028', () => {
    expect(cleanHumanText('one\r\ntwo\rthree\u2028four\tfive', { allowNewlines: true })).toBe('one\ntwo\nthree\nfour five');
    expect(cleanHumanText('one\ntwo')).toBe('one two');
  });

  it('keeps text in any script and emoji as it is', () => {
    for (const text of ['はなこ', 'Guest 🎉', 'Ünal Çelik', 'محمد', '김민준', '👍🏽']) expect(cleanHumanText(text)).toBe(text);
  });
});

describe('hasVisibleText', () => {
  it('is false for text that draws nothing', () => {
    for (const text of ['', '   ', '\u3164', '\u2800\u115F', '\u0301\u0308', '\u3000']) expect(hasVisibleText(text)).toBe(false);
  });
  it('is true as soon as one character draws something', () => {
    for (const text of ['a', ' .', '\u3164x', '🎉']) expect(hasVisibleText(text)).toBe(true);
  });
});

describe('schemas for text shown to people', () => {
  const join = (name: string) => parsePayload(joinRequestSchema, { roomId: 'abc-defg-hij', name });

  it('stores the cleaned name', () => {
    expect(join('  \u202EHana\u200B  ')).toMatchObject({ ok: true, value: { name: 'Hana' } });
  });

  it('refuses a name that is invisible after cleaning, naming the field', () => {
    for (const name of ['\u202E\u200B', '\u3164', '\u0000\u0001', '']) {
      const result = join(name);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.fields.map((field) => field.path)).toEqual(['name']);
    }
  });

  it('counts the name limit after cleaning', () => {
    expect(join(`${'a'.repeat(40)}\u200B\u202E`).ok).toBe(true);
    expect(join('a'.repeat(41)).ok).toBe(false);
    expect(join('a'.repeat(100_000)).ok).toBe(false);
  });

  it('keeps newlines in chat and refuses invisible-only chat', () => {
    expect(parsePayload(chatRequestSchema, { text: 'hi\r\nthere\u202E' })).toMatchObject({ ok: true, value: { text: 'hi\nthere' } });
    const refused = parsePayload(chatRequestSchema, { text: '\u200B\n\u2066' });
    expect(!refused.ok && refused.fields.map((field) => field.path)).toEqual(['text']);
  });

  it('cleans a room name, keeps a blank one blank (the default name), and refuses an invisible one', () => {
    expect(createRoomRequestSchema.parse({ name: ' Standup\u202E ' })).toEqual({ name: 'Standup' });
    expect(createRoomRequestSchema.parse({ name: '   ' })).toEqual({ name: '' });
    expect(createRoomRequestSchema.parse({})).toEqual({});
    expect(createRoomRequestSchema.safeParse({ name: '\u2066\u2069' }).success).toBe(false);
  });
});
