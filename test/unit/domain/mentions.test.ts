import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, memberHandleOf, resolveMentions } from '../../../lambdas/domain/mentions';

const members = [
  { userId: 'u-ada', displayName: 'Ada Lovelace' },
  { userId: 'u-bob', displayName: 'Bob' },
  { userId: 'u-zoe', displayName: 'Zoë' },
];

describe('memberHandleOf', () => {
  it('folds a display name to lower case without spaces or punctuation', () => {
    expect(memberHandleOf('Ada Lovelace')).toBe('adalovelace');
    expect(memberHandleOf('J. R. Bob-Dobbs')).toBe('jrbob-dobbs');
  });

  it('drops accents, so a name with one can still be mentioned', () => {
    expect(memberHandleOf('Zoë')).toBe('zoe');
  });

  it('gives no handle to a name with nothing a handle can hold', () => {
    expect(memberHandleOf('李雷')).toBeUndefined();
    expect(memberHandleOf('42')).toBeUndefined();
  });
});

describe('resolveMentions', () => {
  it('resolves members by their folded name and agents by handle, in order of appearance', () => {
    const mentions = resolveMentions('@scout ask @adalovelace and @zoe', { agentHandles: new Set(['scout']), members });

    expect(mentions).toEqual([
      { kind: 'agent', id: 'scout' },
      { kind: 'member', id: 'u-ada' },
      { kind: 'member', id: 'u-zoe' },
    ]);
  });

  it('prefers the agent when a member’s name folds to an agent’s handle', () => {
    const mentions = resolveMentions('hi @bob', { agentHandles: new Set(['bob']), members });

    expect(mentions).toEqual([{ kind: 'agent', id: 'bob' }]);
  });

  it('drops handles that name nobody and e-mail addresses', () => {
    expect(resolveMentions('mail bob@example.com or @nobody', { members })).toEqual([]);
  });

  it('mentions each one once, case aside', () => {
    expect(resolveMentions('@Bob @bob @BOB', { members })).toEqual([{ kind: 'member', id: 'u-bob' }]);
  });

  it(`keeps at most ${MAX_MENTIONS} mentions`, () => {
    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => ({ userId: `u-${i}`, displayName: `user${i}` }));
    const text = many.map((m) => `@${m.displayName}`).join(' ');

    expect(resolveMentions(text, { members: many })).toHaveLength(MAX_MENTIONS);
  });
});
