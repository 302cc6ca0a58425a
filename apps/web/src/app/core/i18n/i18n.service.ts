import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { STORAGE } from '../browser.tokens';
import { EN, JA, type MessageKey } from './messages';

export type Language = 'en' | 'ja';

const KEY = 'mesh-meet.lang';

/**
 * Japanese or English: the browser's language at first, then what the person
 * chose. Templates call `t()`; it reads the language signal, so a switch
 * re-renders every text.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly storage = inject(STORAGE);
  private readonly document = inject(DOCUMENT);
  readonly language = signal<Language>(this.initial());

  constructor() {
    this.document.documentElement.lang = this.language();
  }

  t(key: MessageKey, values: Record<string, string | number> = {}): string {
    const text = (this.language() === 'ja' ? JA : EN)[key];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  }

  toggle(): void {
    this.use(this.language() === 'ja' ? 'en' : 'ja');
  }

  use(language: Language): void {
    this.language.set(language);
    this.storage.setItem(KEY, language);
    this.document.documentElement.lang = language;
  }

  private initial(): Language {
    const saved = this.storage.getItem(KEY);
    if (saved === 'en' || saved === 'ja') return saved;
    const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
    return preferred.some((language) => language?.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
  }
}
