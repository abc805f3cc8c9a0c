import { describe, expect, it } from 'vitest';
import { displayNameProblem, isGeneratedId } from '../../../lambdas/domain/display-name';

describe('displayNameProblem', () => {
  it('accepts a trimmed name of up to 64 characters, counting emoji as one', () => {
    expect(displayNameProblem('  Alice  ')).toBeUndefined();
    expect(displayNameProblem('🦊'.repeat(64))).toBeUndefined();
  });

  it('refuses empty, long and control-character names', () => {
    expect(displayNameProblem('   ')).toMatch(/empty/);
    expect(displayNameProblem('x'.repeat(65))).toMatch(/at most 64/);
    expect(displayNameProblem('Ali\nce')).toMatch(/control/);
    expect(displayNameProblem('evil\u202Eeman')).toMatch(/control/);
  });
});

describe('isGeneratedId', () => {
  it('recognises UUIDs only', () => {
    expect(isGeneratedId('7d4e1f2a-9b3c-4d5e-8f60-1a2b3c4d5e6f')).toBe(true);
    expect(isGeneratedId('alice')).toBe(false);
  });
});
