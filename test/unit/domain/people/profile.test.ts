import { describe, expect, it } from 'vitest';
import {
  findUsersQueryProblem,
  maskEmails,
  personCursor,
  searchableName,
  searchPrefix,
} from '../../../../lambdas/domain/people/profile';
import { nameInitial } from '../../../../lambdas/domain/names';

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
