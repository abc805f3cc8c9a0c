import { describe, expect, it } from 'vitest';
import { foldName, nameInitial } from '../../../lambdas/domain/names';

describe('foldName', () => {
  it('ignores case, diacritics and width', () => {
    expect(foldName('Élodie')).toBe('elodie');
    expect(foldName('ＢＯＢ')).toBe('bob');
    expect(foldName('Zoë Ångström')).toBe('zoe angstrom');
  });

  it('folds a decomposed and a composed accent alike', () => {
    expect(foldName('Jose\u0301')).toBe(foldName('José'));
  });

  it('lower-cases without a locale, so a dotted capital I folds to i', () => {
    expect(foldName('İlker')).toBe('ilker');
  });

  it('folds a room name and a person’s name alike: case, width and repeated spaces', () => {
    expect(foldName('  ＬＯＢＢＹ   Two ')).toBe('lobby two');
  });

  it('collapses and trims whitespace', () => {
    expect(foldName('  Ana \t  María ')).toBe('ana maria');
  });

  it('keeps scripts without case or marks as they are', () => {
    expect(foldName('山田 太郎')).toBe('山田 太郎');
  });
});

describe('nameInitial', () => {
  it('takes a whole code point, never half a surrogate pair', () => {
    expect(nameInitial('😀 smile')).toBe('😀');
    expect(nameInitial('')).toBe('');
  });
});
