import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../../web/build';
import { chooseLanguage, LANGUAGES, t, useLanguage } from '../../../web/src/i18n';
import { de } from '../../../web/src/i18n/de';
import { en } from '../../../web/src/i18n/en';
import { typingText } from '../../../web/src/presence-state';

type Tree = { readonly [key: string]: unknown };

/** Every leaf of a catalogue as [dotted key, value]. */
const leaves = (tree: Tree, prefix = ''): Array<[string, unknown]> =>
  Object.entries(tree).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? leaves(value as Tree, `${prefix}${key}.`) : [[`${prefix}${key}`, value] as [string, unknown]],
  );

/** Sample arguments for a message function: distinct markers, so each must show up in the text. */
const samples = (fn: (...args: never[]) => unknown): unknown[] =>
  Array.from({ length: fn.length }, (_, i) => `«arg${i}»`);

afterEach(() => useLanguage('en', { lang: '' }));

describe('choosing the language', () => {
  it("takes the reader's saved choice when Parley speaks it", () => {
    expect(chooseLanguage(['en-GB'], 'de')).toBe('de');
  });

  it("otherwise takes the first of the browser's languages that Parley speaks, by its base", () => {
    expect(chooseLanguage(['fr-FR', 'de-AT', 'en'], null)).toBe('de');
    expect(chooseLanguage(['en-US', 'de'], undefined)).toBe('en');
  });

  it('ignores a saved choice it does not know and falls back to English', () => {
    expect(chooseLanguage(['ja-JP'], 'xx')).toBe('en');
    expect(chooseLanguage([], '__proto__')).toBe('en');
  });

  it("switches the strings and the page's language", () => {
    const root = { lang: 'en' };
    useLanguage('de', root);

    expect(root.lang).toBe('de');
    expect(t().rooms.title).toBe('Räume');
    expect(typingText([{ displayName: 'Bob' }])).toBe('Bob schreibt…');
  });
});

describe('the catalogues', () => {
  it('give every language the same keys, each with text', () => {
    const english = leaves(en);
    for (const [code, catalogue] of Object.entries(LANGUAGES)) {
      const keys = leaves(catalogue);
      expect(keys.map(([key]) => key), code).toEqual(english.map(([key]) => key));
      for (const [key, value] of keys) {
        const text = typeof value === 'function' ? (value as (...a: unknown[]) => unknown)(...samples(value as never)) : value;
        expect(typeof text, `${code} ${key}`).toBe('string');
        expect((text as string).trim(), `${code} ${key}`).not.toBe('');
      }
    }
  });

  it('keep every value a message is given (no placeholder lost in translation)', () => {
    for (const [key, value] of leaves(de)) {
      if (typeof value !== 'function') continue;
      const english = leaves(en).find(([k]) => k === key)?.[1] as (...a: unknown[]) => string;
      const args = samples(value as never).map((arg, i) => (key === 'signIn.emailedTo' && i === 0 ? 'code' : arg));
      const markers = (text: string) => (text.match(/«arg\d»/g) ?? []).sort();
      expect(markers((value as (...a: unknown[]) => string)(...args)), key).toEqual(markers(english(...args)));
    }
  });

  it('translate the German catalogue rather than copy English', () => {
    // Words that are the same in both languages.
    const same = new Set(['locale', 'app.brand', 'signIn.code', 'roles.moderator', 'timeline.agent']);
    const copied = leaves(de)
      .filter(([key, value]) => typeof value === 'string' && !same.has(key))
      .filter(([key, value]) => leaves(en).find(([k]) => k === key)?.[1] === value)
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('count in each language\'s grammar', () => {
    expect(en.directory.found(1, false)).toBe('1 room found.');
    expect(en.directory.found(2, true)).toBe('2 rooms found, more to see.');
    expect(de.directory.found(1, false)).toBe('1 Raum gefunden.');
    expect(de.preview.members(3)).toBe('3 Mitglieder');
  });
});

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

/**
 * An English sentence or label written in code instead of the catalogue: a
 * quoted string or template of two or more words starting with a capital,
 * or a lone capitalised word (key names such as 'Enter' aside).
 */
const ENGLISH_LITERAL = /(['`])[A-Z][a-z]+ [^'`\n]*\1|'(?!(?:Escape|Enter|Tab|Home|End|Error)')[A-Z][a-z]+'/g;

/**
 * Views whose strings are not in the catalogue yet (docs/web.md says so).
 * The list may only shrink: a file on it must still hold English, and a
 * file off it must hold none.
 */
const NOT_YET_IN_THE_CATALOGUE = new Set<string>([]);

describe('the interface strings', () => {
  const files = sources(join(WEB_ROOT, 'src')).filter((file) => !file.includes(`${join('src', 'i18n')}`));
  const englishIn = (file: string) => readFileSync(file, 'utf8').match(ENGLISH_LITERAL) ?? [];

  it('live in the catalogue, outside the views still to move', () => {
    const offenders = files
      .filter((file) => !NOT_YET_IN_THE_CATALOGUE.has(relative(WEB_ROOT, file)))
      .flatMap((file) => englishIn(file).map((literal) => `${relative(WEB_ROOT, file)}: ${literal}`));
    expect(offenders).toEqual([]);
  });

  it('are still to move in every view on the list (the list only shrinks)', () => {
    const done = [...NOT_YET_IN_THE_CATALOGUE].filter((file) => englishIn(join(WEB_ROOT, file)).length === 0);
    expect(done).toEqual([]);
  });
});
