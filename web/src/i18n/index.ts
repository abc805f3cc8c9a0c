import { de } from './de';
import { en, type Catalogue } from './en';

/**
 * The interface's languages and the one in use. The language is chosen once,
 * before the first render: the reader's saved choice, else the first of the
 * browser's preferred languages that Parley speaks, else English.
 */
export const LANGUAGES = { en, de } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof LANGUAGES;

/** Where the reader's own choice is kept, per browser. */
export const LANGUAGE_KEY = 'parley.language';

let active: Catalogue = en;

const isLanguage = (value: string): value is Language => Object.hasOwn(LANGUAGES, value);

/** The language to use: `chosen` when Parley speaks it, else the first preferred one it speaks (`de-AT` → `de`), else English. */
export function chooseLanguage(preferred: readonly string[], chosen?: string | null): Language {
  if (chosen && isLanguage(chosen)) return chosen;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Switches the interface's strings, and tells the page (for screen readers' voices and hyphenation). */
export function useLanguage(language: Language, root: { lang: string } | undefined = globalThis.document?.documentElement): void {
  active = LANGUAGES[language];
  if (root) root.lang = active.locale;
}

/** The strings of the language in use. */
export const t = (): Catalogue => active;

export type { Catalogue };
