import { describe, expect, it } from 'vitest';
import { isAction, requestSchemas, type Action } from '../../../lambdas/domain/protocol';

const LONE = 'x\ud800';
const NOT_WELL_FORMED = 'must be well-formed Unicode (it holds an unpaired surrogate)';
const NOTHING_VISIBLE = 'has nothing visible';

/** A valid request of each action with a string field, and where that field sits. */
const stringFields: Array<[Action, Record<string, unknown>, string[]]> = [
  ['createRoom', { name: 'Lobby' }, ['name']],
  ['createRoom', { name: 'Lobby', requestId: 'r1' }, ['requestId']],
  ['listRooms', { cursor: 'c' }, ['cursor']],
  ['joinRoom', { roomId: 'r' }, ['roomId']],
  ['inviteMember', { roomId: 'r', userId: 'u' }, ['userId']],
  ['setRole', { roomId: 'r', userId: 'u', role: 'member' }, ['userId']],
  ['sendMessage', { roomId: 'r', clientMessageId: 'cm-1', text: 'hi' }, ['clientMessageId']],
  ['sendMessage', { roomId: 'r', clientMessageId: 'cm-1', text: 'hi' }, ['text']],
  ['getHistory', { roomId: 'r', cursor: 'c' }, ['cursor']],
  ['getSummary', { roomId: 'r' }, ['roomId']],
  ['addAgent', { roomId: 'r', agent: { handle: 'bot', displayName: 'Bot' } }, ['agent', 'displayName']],
  ['addAgent', { roomId: 'r', agent: { handle: 'bot', persona: 'dry' } }, ['agent', 'persona']],
  ['addAgent', { roomId: 'r', agent: { handle: 'bot', systemPrompt: 'Be brief.' } }, ['agent', 'systemPrompt']],
  ['updateAgent', { roomId: 'r', handle: 'bot', changes: {} }, ['handle']],
  ['updateAgent', { roomId: 'r', handle: 'bot', changes: { persona: 'dry' } }, ['changes', 'persona']],
  ['removeAgent', { roomId: 'r', handle: 'bot' }, ['roomId']],
  ['hideMessage', { roomId: 'r', messageId: '01JDA00000000000000000000A' }, ['roomId']],
  ['setModerationSettings', { roomId: 'r', settings: {} }, ['roomId']],
  ['getAuditLog', { roomId: 'r', cursor: 'c' }, ['cursor']],
  ['setRetention', { roomId: 'r', days: 30 }, ['roomId']],
  ['getArchive', { roomId: 'r', from: '2026-01-01', to: '2026-01-02', cursor: 'c' }, ['cursor']],
];

const withValue = (payload: Record<string, unknown>, path: string[], value: string): Record<string, unknown> => {
  const [head, ...rest] = path as [string, ...string[]];
  return { ...payload, [head]: rest.length === 0 ? value : withValue(payload[head] as Record<string, unknown>, rest, value) };
};

const issuesOf = (action: Action, payload: Record<string, unknown>) =>
  requestSchemas[action].safeParse(payload).error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];

describe('requestSchemas', () => {
  it('fills defaults for createRoom and getHistory', () => {
    expect(requestSchemas.createRoom.parse({ name: ' Lobby ' })).toEqual({ name: 'Lobby', visibility: 'public', mode: 'chat' });
    expect(requestSchemas.getHistory.parse({ roomId: 'r1' })).toMatchObject({ limit: 50, direction: 'backward' });
  });

  it('rejects a history page over 100', () => {
    expect(requestSchemas.getHistory.safeParse({ roomId: 'r1', limit: 101 }).success).toBe(false);
  });

  it('rejects a missing roomId and an empty text', () => {
    expect(requestSchemas.sendMessage.safeParse({ clientMessageId: 'c1', text: 'hi' }).success).toBe(false);
    expect(requestSchemas.sendMessage.safeParse({ roomId: 'r', clientMessageId: 'c1', text: '' }).success).toBe(false);
  });

  it('never lets an invitation grant ownership', () => {
    expect(requestSchemas.inviteMember.safeParse({ roomId: 'r', userId: 'u', role: 'owner' }).success).toBe(false);
    expect(requestSchemas.inviteMember.parse({ roomId: 'r', userId: 'u' }).role).toBe('member');
  });

  it('knows its actions and nothing inherited', () => {
    expect(isAction('sendMessage')).toBe(true);
    expect(isAction('toString')).toBe(false);
    expect(isAction(42)).toBe(false);
  });

  it.each(stringFields)('refuses an unpaired surrogate in %s at %j', (action, payload, path) => {
    expect(issuesOf(action, payload)).toEqual([]);
    expect(issuesOf(action, withValue(payload, path, LONE))).toContainEqual({
      path: path.join('.'),
      message: NOT_WELL_FORMED,
    });
  });

  it('refuses client message ids that differ only in unpaired surrogates, which UTF-8 storage would merge', () => {
    for (const clientMessageId of ['cm-\ud800', 'cm-\udbff', 'cm-\udc00']) {
      const request = { roomId: 'r', clientMessageId, text: 'hi' };
      expect(issuesOf('sendMessage', request)).toEqual([{ path: 'clientMessageId', message: NOT_WELL_FORMED }]);
    }
    expect(issuesOf('sendMessage', { roomId: 'r', clientMessageId: 'cm-😀', text: 'hi' })).toEqual([]);
  });

  it('refuses names with nothing visible with one error, whitespace and invisible characters alike', () => {
    for (const name of ['', '   ', '\u200b', '\u200c\u200d\u2060', ' \ufeff\u00ad ', '\ufe0f\u202e']) {
      expect(issuesOf('createRoom', { name })).toEqual([{ path: 'name', message: NOTHING_VISIBLE }]);
      expect(issuesOf('addAgent', { roomId: 'r', agent: { handle: 'bot', displayName: name } })).toEqual([
        { path: 'agent.displayName', message: NOTHING_VISIBLE },
      ]);
    }
  });

  it('accepts names with visible characters and joiners', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(requestSchemas.createRoom.parse({ name: ` ${family} ` }).name).toBe(family);
    expect(requestSchemas.createRoom.parse({ name: '\u200bLobby' }).name).toBe('\u200bLobby');
  });
});
