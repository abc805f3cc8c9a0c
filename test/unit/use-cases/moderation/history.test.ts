import { describe, expect, it } from 'vitest';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { getHistory } from '../../../../lambdas/use-cases/get-history';
import { FakeMessages } from '../../../support/fakes/chat';
import { moderationWorld, ROOM } from '../../../support/fakes/moderation';

describe('getHistory with moderation', () => {
  it('hides pending, quarantined, blocked and hidden messages from members who may not see them', async () => {
    const world = await moderationWorld();
    const messages = new FakeMessages();
    const base = { roomId: ROOM, senderId: 'sam', senderName: 'Sam', senderType: 'human', createdAt: '2026-11-21T12:00:00.000Z' } as const;
    const stored: Array<ModeratedMessage & { clientMessageId: string }> = [
      { ...base, messageId: '01KA0000000000000000000002', clientMessageId: '2', text: 'fine', moderation: 'allowed' },
      { ...base, messageId: '01KA0000000000000000000003', clientMessageId: '3', text: 'wait', moderation: 'pending' },
      { ...base, messageId: '01KA0000000000000000000004', clientMessageId: '4', text: 'held', moderation: 'quarantined' },
      { ...base, messageId: '01KA0000000000000000000005', clientMessageId: '5', text: '', moderation: 'blocked' },
      { ...base, messageId: '01KA0000000000000000000006', clientMessageId: '6', text: 'shh', moderation: 'allowed', hidden: { by: 'mo', at: base.createdAt } },
    ];
    for (const m of stored) await messages.saveMessage(m);
    const history = (userId: string) =>
      getHistory({ rooms: world.rooms, messages }, { userId, displayName: userId }, {
        roomId: ROOM,
        limit: 50,
        direction: 'backward',
      }).then((page) => page.items.map((m) => m.text));

    expect(await history('mia')).toEqual(['fine']);
    expect(await history('mo')).toEqual(['fine', 'held', '', 'shh']);
    expect(await history('sam')).toEqual(['fine', 'wait', 'held', '', 'shh']);
  });
});
