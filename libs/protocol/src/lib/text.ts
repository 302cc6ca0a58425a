import { z } from 'zod';

export interface HumanTextOptions {
  /** Chat keeps line breaks (it is shown with `white-space: pre-wrap`); names and titles do not. */
  readonly allowNewlines?: boolean;
  /** Blank input (empty or spaces only) is accepted as '' (an optional title left empty), not refused. */
  readonly allowBlank?: boolean;
}

/* Joiners shape emoji sequences (👩‍💻) and Persian or Indic words, so they stay between two visible characters. */
const JOINERS = /[\u200C\u200D]/u;
const JOINABLE = /[\p{L}\p{M}\p{N}\p{S}]/u;
/* Line and paragraph separators and CR/CRLF are line breaks like \n. */
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/gu;
/*
 * What text shown to other people must not carry: C0/C1 controls, lone
 * surrogates, and every format character (Cf: bidi embeddings, overrides and
 * isolates U+202A-202E and U+2066-2069, marks U+200E/U+200F/U+061C, zero
 * widths U+200B and U+2060, U+FEFF, soft hyphen, tags U+E0000...). A bidi
 * override in a name reverses how the next names and messages read.
 */
const UNWANTED = /[\p{Cc}\p{Cf}\p{Cs}]/u;
/* Characters that draw nothing on their own (blank Hangul fillers, the blank braille pattern). */
const BLANK = /[\p{White_Space}\p{M}\u115F\u1160\u3164\uFFA0\u2800\u200C\u200D]/u;

/**
 * Normalizes text meant for people (names, chat, meeting titles): NFC, line
 * breaks unified (kept only when `allowNewlines`, otherwise a space), tabs
 * as spaces, controls and invisible format characters removed, and trimmed.
 * The result may be empty; see hasVisibleText.
 */
export function cleanHumanText(text: string, options: HumanTextOptions = {}): string {
  const chars = [...text.normalize('NFC').replace(LINE_BREAKS, '\n').replace(/\t/g, ' ')];
  let cleaned = '';
  chars.forEach((char, i) => {
    if (char === '\n') {
      cleaned += options.allowNewlines ? '\n' : ' ';
    } else if (JOINERS.test(char)) {
      if (JOINABLE.test(chars[i - 1] ?? '') && JOINABLE.test(chars[i + 1] ?? '')) cleaned += char;
    } else if (!UNWANTED.test(char)) {
      cleaned += char;
    }
  });
  return cleaned.trim();
}

/** False for text that is empty or draws nothing (spaces, lone marks, blank fillers). */
export function hasVisibleText(text: string): boolean {
  for (const char of text) if (!BLANK.test(char)) return true;
  return false;
}

/**
 * A zod string for text meant for people: cleaned as cleanHumanText does, then
 * refused when nothing visible is left or it is longer than `max` (UTF-16
 * units, as before). Input far past `max` is refused before any work is done.
 */
export function humanTextSchema(max: number, options: HumanTextOptions = {}) {
  const tooLong = `must be at most ${max} characters`;
  return z
    .string()
    .max(max * 4, tooLong)
    .transform((value, ctx) => {
      if (options.allowBlank && value.trim() === '') return '';
      const cleaned = cleanHumanText(value, options);
      if (!hasVisibleText(cleaned)) {
        ctx.addIssue({ code: 'custom', message: 'must contain visible characters' });
        return z.NEVER;
      }
      return cleaned;
    })
    .pipe(z.string().max(max, tooLong));
}
