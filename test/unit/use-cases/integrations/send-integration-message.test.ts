import { beforeEach, describe, expect, it } from 'vitest';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { getHistoryForKey } from '../../../../lambdas/use-cases/get-history';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { sendIntegrationMessage } from '../../../../lambdas/use-cases/send-message';
import { alice, bob, fakeWorld } from '../../../support/fakes/chat';

describe('sendIntegrationMessage', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;
  const key = { keyId: 'k-ci', name: 'CI bot' };

  beforeEach(async () => {
    world = fakeWorld();
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-bob', ...bob, connectedAt: '' }, []);
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Deploys', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    world.gateway.posts.length = 0;
  });

  it('stores and delivers the message as the key’s, marked as an integration’s, without a membership or the member rate', async () => {
    const result = await sendIntegrationMessage(world.sendDeps, key, { roomId, clientMessageId: 'b1', text: 'build passed' });

    expect(result).toMatchObject({ duplicate: false, decision: 'allowed' });
    expect(world.rateLimiter.calls).toEqual([]);
    expect(world.gateway.framesFor('c-bob')[0]).toMatchObject({
      type: 'message',
      message: { text: 'build passed', senderId: 'k-ci', senderName: 'CI bot', senderType: 'integration', moderation: 'allowed' },
    });
  });

  it('moderates it as it does a person’s message', async () => {
    await sendIntegrationMessage(world.sendDeps, key, { roomId, clientMessageId: 'b2', text: 'mail ops@example.com' });

    expect(world.messages.messages[0]).toMatchObject({ text: 'mail [email]', moderation: 'redacted' });
  });

  it('answers a retry with the same clientMessageId with the message stored first', async () => {
    const first = await sendIntegrationMessage(world.sendDeps, key, { roomId, clientMessageId: 'b3', text: 'once' });
    const again = await sendIntegrationMessage(world.sendDeps, key, { roomId, clientMessageId: 'b3', text: 'once' });

    expect(again).toMatchObject({ duplicate: true, message: { messageId: first.message.messageId } });
    expect(world.messages.messages).toHaveLength(1);
  });

  it('refuses a room that no longer exists, and stores nothing', async () => {
    await expect(sendIntegrationMessage(world.sendDeps, key, { roomId: 'gone', clientMessageId: 'b4', text: 'hi' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(world.messages.messages).toEqual([]);
  });

  it('lets the key read the room’s history by page', async () => {
    for (const text of ['one', 'two', 'three']) {
      await sendIntegrationMessage(world.sendDeps, key, { roomId, clientMessageId: text, text });
    }
    const page = await getHistoryForKey(world.sendDeps, key.keyId, { roomId, limit: 2, direction: 'backward' });

    expect(page.items.map((m) => m.text)).toEqual(['two', 'three']);
    expect(page.nextCursor).toBeDefined();
  });
});
