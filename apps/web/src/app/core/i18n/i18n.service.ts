import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { PREFERRED_LANGUAGES, STORAGE } from '../browser.tokens';
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
  private readonly preferred = inject(PREFERRED_LANGUAGES);
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
    return this.preferred.some((language) => language?.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
  }
}
