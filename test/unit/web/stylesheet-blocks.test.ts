import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const stylesheet = readFileSync(resolve(import.meta.dirname, '../../../web/styles.css'), 'utf8');

describe('the stylesheet', () => {
  it('closes every rule it opens, so no rule nests by accident inside another', () => {
    let depth = 0;
    const unclosed: number[] = [];
    stylesheet.split('\n').forEach((line, index) => {
      // A rule at the start of a line begins at the top level unless it is inside @media or @supports.
      if (/^[.#a-z[:*]/i.test(line) && line.trimEnd().endsWith('{') && depth > 0) unclosed.push(index + 1);
      for (const char of line) depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    });

    expect(unclosed).toEqual([]);
    expect(depth).toBe(0);
  });
});
