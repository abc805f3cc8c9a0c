import { describe, expect, it } from 'vitest';
import { isBlank, isWellFormed } from '../../../lambdas/domain/text';

describe('isWellFormed', () => {
  it('accepts text whose surrogates come in pairs', () => {
    for (const text of ['', 'plain', 'café', '😀', 'a\u{1F468}\u200D\u{1F469}b', '\u{10FFFF}']) {
      expect(isWellFormed(text)).toBe(true);
    }
  });

  it('refuses an unpaired high or low surrogate anywhere', () => {
    for (const text of ['cm-\ud800', 'cm-\udbff', '\udc00', 'a\udfffb', '\ude00\ud83d', '😀\ud83d']) {
      expect(isWellFormed(text)).toBe(false);
    }
  });
});

describe('isBlank', () => {
  it('finds nothing visible in whitespace and invisible characters', () => {
    for (const text of [
      '',
      ' \t\n\r',
      '\u00a0\u2003\u3000\u2028',
      '\u200b', // zero-width space
      '\u200c\u200d', // zero-width non-joiner and joiner
      '\u2060\u2061\u2064', // word joiner, invisible operators
      '\ufeff', // byte order mark
      '\u00ad', // soft hyphen
      '\ufe0f\ufe00\u{E0100}', // variation selectors
      '\u200e\u200f\u202a\u202e\u2066\u2069\u061c', // bidirectional controls
      '\u{E0041}\u{E007F}', // tags
      '\u115f\u3164\uffa0', // Hangul fillers
      ' \u200b \u200d ',
    ]) {
      expect(isBlank(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('sees text with anything visible, joiners and selectors included', () => {
    for (const text of [
      'a',
      '\u200bhi\u200b',
      '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', // family: emoji joined by ZWJ
      '\u2764\ufe0f', // heart with a variation selector
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', // flag of Scotland: tags after a flag
      '\u0915\u094d\u200d', // Devanagari with a joiner
      '.',
    ]) {
      expect(isBlank(text), JSON.stringify(text)).toBe(false);
    }
  });
});
