import { describe, expect, it } from 'vitest';
import {
  findUsersQueryProblem,
  foldName,
  maskEmails,
  nameInitial,
  personCursor,
  searchableName,
  searchPrefix,
} from '../../../../lambdas/domain/people/profile';

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

  it('collapses and trims whitespace', () => {
    expect(foldName('  Ana \t  María ')).toBe('ana maria');
  });

  it('keeps scripts without case or marks as they are', () => {
    expect(foldName('山田 太郎')).toBe('山田 太郎');
  });
});

describe('searchableName', () => {
  it('leaves an email address in a name out of what is searched', () => {
    expect(searchableName('Bob bob@example.com')).toBe('bob');
    expect(searchableName('carol@example.com')).toBe('');
  });
});

describe('searchableName and searchPrefix', () => {
  it('cap a folded name at 64 code points, so a name that NFKC expands still fits a DynamoDB key', () => {
    const expanding = '\ufdfa'.repeat(64); // each folds to 18 characters

    expect([...searchableName(expanding)]).toHaveLength(64);
    expect(searchPrefix(expanding)).toBe(searchableName(expanding));
  });
});

describe('maskEmails', () => {
  it('shows an address in a name as [email] and leaves other names alone', () => {
    expect(maskEmails('Bob (bob@example.com)')).toBe('Bob ([email])');
    expect(maskEmails('Bob')).toBe('Bob');
  });
});

describe('findUsersQueryProblem', () => {
  it('refuses a query holding @: addresses are not searchable', () => {
    expect(findUsersQueryProblem('bob@')).toMatch(/email addresses are not searchable/);
  });

  it('refuses a query with nothing left once folded', () => {
    expect(findUsersQueryProblem('\u0301')).toMatch(/nothing to search/);
  });

  it('accepts a name prefix', () => {
    expect(findUsersQueryProblem('Bo')).toBeUndefined();
  });
});

describe('byName keys', () => {
  it('partitions by the first code point and sorts by folded name then id', () => {
    expect(nameInitial('😀 smile')).toBe('😀');
    expect(personCursor({ foldedName: 'bob', userId: 'u-1' })).toBe('bob#u-1');
  });
});
