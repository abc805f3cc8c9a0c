import { describe, expect, it } from 'vitest';
import { isAction, requestSchemas } from '../../../lambdas/domain/protocol';

describe('requestSchemas', () => {
  it('fills defaults for createRoom and getHistory', () => {
    expect(requestSchemas.createRoom.parse({ name: ' Lobby ' })).toEqual({ name: 'Lobby', visibility: 'public' });
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
});
