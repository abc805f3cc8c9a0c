import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../../web/build';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

/** DOM and script sinks that parse strings as markup or code. */
const SINKS = [
  'innerHTML',
  'outerHTML',
  'insertAdjacentHTML',
  'document.write',
  'DOMParser',
  'createContextualFragment',
  'srcdoc',
  'eval(',
  'new Function',
  'javascript:',
];

describe('the web client', () => {
  it('builds DOM from text only: no source file uses a markup or code sink', () => {
    const offenders = sources(join(WEB_ROOT, 'src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return SINKS.filter((sink) => text.includes(sink)).map((sink) => `${relative(WEB_ROOT, file)}: ${sink}`);
    });

    expect(offenders).toEqual([]);
  });
});
