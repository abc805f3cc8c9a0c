import { describe, expect, it } from 'vitest';
import { activeMention, applyMention, mentionCandidates } from '../../../web/src/mention-complete';
import { mentionsToNotify, notificationBody } from '../../../web/src/mention-alerts';
import type { ChatMessage } from '../../../web/src/protocol';

describe('activeMention', () => {
  it('finds the @word the caret is in, at the start or after a space', () => {
    expect(activeMention('@ad', 3)).toEqual({ start: 0, query: 'ad' });
    expect(activeMention('hello @', 7)).toEqual({ start: 6, query: '' });
    expect(activeMention('hello @sc and', 9)).toEqual({ start: 6, query: 'sc' });
  });

  it('ignores an e-mail address and a word already left', () => {
    expect(activeMention('ada@example', 11)).toBeUndefined();
    expect(activeMention('@ada done', 9)).toBeUndefined();
  });
});

describe('mentionCandidates', () => {
  const members = [
    { userId: 'u-me', displayName: 'Me Myself' },
    { userId: 'u-ada', displayName: 'Ada Lovelace' },
    { userId: 'u-alan', displayName: 'Alan Turing' },
    { userId: 'u-zh', displayName: '张伟' },
    { userId: 'u-scout', displayName: 'Scout' },
  ];
  const agents = [{ handle: 'scout', displayName: 'Scout the agent' }];

  it('offers agents then members whose handle or name starts with the query, never the writer', () => {
    expect(mentionCandidates(members, agents, 'a', 'u-me')).toEqual([
      { kind: 'agent', handle: 'scout', name: 'Scout the agent' },
      { kind: 'member', handle: 'adalovelace', name: 'Ada Lovelace' },
      { kind: 'member', handle: 'alanturing', name: 'Alan Turing' },
    ]);
    expect(mentionCandidates(members, agents, 'me', 'u-me')).toEqual([]);
  });

  it('matches any word of a name, and leaves out members with nothing mentionable or whose handle an agent holds', () => {
    expect(mentionCandidates(members, agents, 'tur', 'u-me').map((c) => c.handle)).toEqual(['alanturing']);
    expect(mentionCandidates(members, agents, 'sc', 'u-me')).toEqual([{ kind: 'agent', handle: 'scout', name: 'Scout the agent' }]);
    expect(mentionCandidates(members, [], '', 'u-me').map((c) => c.handle)).toEqual(['adalovelace', 'alanturing', 'scout']);
  });
});

describe('applyMention', () => {
  it('replaces the @word at the caret with the handle and a space, and puts the caret after it', () => {
    expect(applyMention('hi @ad', 6, 'adalovelace')).toEqual({ text: 'hi @adalovelace ', caret: 16 });
    expect(applyMention('@sc, ready?', 3, 'scout')).toEqual({ text: '@scout , ready?', caret: 7 });
    expect(applyMention('@a rest', 2, 'ada')).toEqual({ text: '@ada rest', caret: 5 });
  });
});

describe('mentionsToNotify', () => {
  const message = (id: string, senderId: string, mentionsMe: boolean): ChatMessage => ({
    roomId: 'r1',
    messageId: id,
    senderId,
    senderName: senderId,
    senderType: 'human',
    text: '@me hi',
    createdAt: '2026-12-06T14:00:00.000Z',
    ...(mentionsMe ? { mentions: [{ kind: 'member' as const, id: 'u-me' }] } : {}),
  });

  it('picks the newer messages from others that mention the reader', () => {
    const messages = [message('01', 'u-bob', true), message('02', 'u-bob', true), message('03', 'u-me', true), message('04', 'u-cid', false)];

    expect(mentionsToNotify(messages, '01', 'u-me').map((m) => m.messageId)).toEqual(['02']);
  });

  it('cuts a long body on one line without splitting a character', () => {
    expect(notificationBody('a\n\nb')).toBe('a b');
    expect(notificationBody('😀😀😀', 2)).toBe('😀…');
  });
});
