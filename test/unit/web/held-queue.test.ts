import { describe, expect, it } from 'vitest';
import type { Transport } from '../../../web/src/client';
import { auditQuery, heldQueue } from '../../../web/src/held-queue';
import type { ChatMessage } from '../../../web/src/protocol';
import { RoomTools } from '../../../web/src/room-tools';

const message = (messageId: string, fields: Partial<ChatMessage> = {}): ChatMessage =>
  ({ roomId: 'r1', messageId, senderId: 'u-bob', senderName: 'Bob', text: 'hi', createdAt: '2026-12-01T10:00:00.000Z', moderation: 'quarantined', ...fields }) as ChatMessage;

function scripted(answers: Record<string, unknown>) {
  const asked: Array<{ action: string; payload?: Record<string, unknown> }> = [];
  const transport: Transport = {
    async request<T>(action: string, payload?: Record<string, unknown>): Promise<T> {
      asked.push({ action, ...(payload ? { payload } : {}) });
      return answers[action] as T;
    },
  };
  return { transport, asked };
}

describe('heldQueue', () => {
  it('joins the listed held messages with the loaded ones, oldest first, once each', () => {
    const old = message('01A');
    const recent = message('01C');

    const queue = heldQueue([old, recent], [message('01B', { moderation: 'allowed' }), recent]);

    expect(queue.map((m) => m.messageId)).toEqual(['01A', '01C']);
  });

  it('lets a loaded copy take a listed message out once it is released or hidden', () => {
    const queue = heldQueue(
      [message('01A'), message('01B')],
      [message('01A', { moderation: 'allowed' }), message('01B', { hidden: { by: 'u-mo', at: 'now' } } as Partial<ChatMessage>)],
    );

    expect(queue).toEqual([]);
  });

  it('leaves out messages decided here, and adds held ones that arrive live', () => {
    const queue = heldQueue([message('01A')], [message('01D')], new Set(['01A']));

    expect(queue.map((m) => m.messageId)).toEqual(['01D']);
  });
});

describe('auditQuery', () => {
  it('sends the chosen kind and a trimmed actor, and nothing for empty filters', () => {
    expect(auditQuery('member', '  u-olga ')).toEqual({ kinds: ['member'], actorId: 'u-olga' });
    expect(auditQuery('', ' ')).toEqual({});
  });
});

describe('RoomTools', () => {
  it('asks Parley for a page of the held queue', async () => {
    const { transport, asked } = scripted({ listHeldMessages: { roomId: 'r1', items: [], nextCursor: '01A' } });

    const answer = await new RoomTools(transport).heldPage('r1', '019');

    expect(answer).toEqual({ ok: true, value: { roomId: 'r1', items: [], nextCursor: '01A' } });
    expect(asked).toEqual([{ action: 'listHeldMessages', payload: { roomId: 'r1', cursor: '019' } }]);
  });

  it('sends the audit filters with the page', async () => {
    const { transport, asked } = scripted({ getAuditLog: { roomId: 'r1', items: [] } });

    await new RoomTools(transport).auditPage('r1', 'c1', { kinds: ['room'], actorId: 'u-olga' });

    expect(asked).toEqual([{ action: 'getAuditLog', payload: { roomId: 'r1', kinds: ['room'], actorId: 'u-olga', cursor: 'c1' } }]);
  });
});
