import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The colours of both schemes, read from the custom properties in
 * web/styles.css, against WCAG 2's contrast minimum for normal text (4.5:1).
 */
const css = readFileSync(resolve(import.meta.dirname, '../../../web/styles.css'), 'utf8');

const properties = (block: string): Map<string, string> =>
  new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1] as string, (m[2] as string).toLowerCase()]));

const light = properties(/^:root\s*\{([^}]*)\}/m.exec(css)?.[1] ?? '');
const dark = new Map([
  ...light,
  ...properties(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? ''),
]);

/** Relative luminance of an sRGB colour written #rrggbb. */
const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** Text colour on background colour, as the stylesheet pairs them. */
const PAIRS = [
  ['accent-text', 'accent'],
  ['text', 'bg'],
  ['text', 'surface'],
  ['muted', 'surface'],
  ['danger', 'surface'],
  ['agent', 'surface'],
  // Links in messages; times on a row under the pointer; the mention bar's row.
  ['accent', 'surface'],
  ['muted', 'mine'],
  ['text', 'mine'],
] as const;

describe('the stylesheet’s colours', () => {
  it('reads both schemes', () => {
    expect(light.get('accent')).toBe('#0b5fff');
    expect(dark.get('bg')).toBe('#0f1216');
  });

  it('closes every block it opens, so no rule ends up nested inside another', () => {
    const code = css.replace(/\/\*[\s\S]*?\*\//g, '');
    let depth = 0;
    const unclosed: string[] = [];
    for (const line of code.split('\n')) {
      // A selector at the top level of a block that is not a media query or keyframes means a missing brace.
      if (depth > 0 && /^[.#a-z*:[][^{]*\{\s*$/i.test(line) && !/^\s/.test(line)) unclosed.push(line);
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    }
    expect(unclosed).toEqual([]);
    expect(depth).toBe(0);
  });

  it('computes contrast as WCAG does', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#4c8dff')).toBeCloseTo(3.2, 1);
  });

  for (const [scheme, colours] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it.each(PAIRS)(`gives --%s on --%s at least 4.5:1 in the ${scheme} scheme`, (text, background) => {
      const ratio = contrast(colours.get(text) ?? '', colours.get(background) ?? '');
      expect(ratio).toBeGreaterThanOrEqual(4.5);
    });
  }
});
