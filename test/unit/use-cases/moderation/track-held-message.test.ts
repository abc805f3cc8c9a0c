import { describe, expect, it } from 'vitest';
import { trackHeldMessage } from '../../../../lambdas/use-cases/moderation/track-held-message';
import { FakeHeldQueue, pendingMessage, ROOM } from '../../../support/fakes/moderation';

const hidden = { by: 'mo', at: '2026-11-21T12:01:00.000Z' };

describe('trackHeldMessage', () => {
  it('holds a message quarantined when it is stored, with its expiry', async () => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('held', { moderation: 'quarantined', decision: 'quarantined' });

    const outcome = await trackHeldMessage({ held }, { after: message, expiresAt: 1_900_000_000 });

    expect(outcome).toBe('held');
    expect([...held.markers.values()]).toEqual([{ roomId: ROOM, messageId: message.messageId, expiresAt: 1_900_000_000, version: expect.any(String) }]);
  });

  it('holds a reply moderation quarantined and an edit moderation quarantined', async () => {
    const held = new FakeHeldQueue();
    const reply = pendingMessage('reply', { senderType: 'agent' });
    const edited = pendingMessage('edited', { moderation: 'allowed' });

    await trackHeldMessage({ held }, { before: reply, after: { ...reply, moderation: 'quarantined' } });
    await trackHeldMessage({ held }, { before: edited, after: { ...edited, moderation: 'quarantined', editedAt: 'x' } });

    expect(held.idsOf(ROOM)).toEqual([reply.messageId, edited.messageId]);
  });

  it('moves the marker\'s expiry with the message (a purge re-stamps it)', async () => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('held', { moderation: 'quarantined' });
    await trackHeldMessage({ held }, { after: message, expiresAt: 1_900_000_000 });

    await trackHeldMessage({ held }, { before: message, after: message, expiresAt: 1_800_000_100 });

    expect([...held.markers.values()]).toEqual([{ roomId: ROOM, messageId: message.messageId, expiresAt: 1_800_000_100, version: expect.any(String) }]);
  });

  it.each([
    ['released', { moderation: 'allowed' as const }],
    ['hidden', { hidden }],
  ])('drops the marker of a message %s', async (_, patch) => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('held', { moderation: 'quarantined' });
    await trackHeldMessage({ held }, { after: message });

    const outcome = await trackHeldMessage({ held }, { before: message, after: { ...message, ...patch } });

    expect(outcome).toBe('dropped');
    expect(held.idsOf(ROOM)).toEqual([]);
  });

  it('drops the marker of a held message deleted, expired or purged (its removal)', async () => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('held', { moderation: 'quarantined' });
    await trackHeldMessage({ held }, { after: message });

    await trackHeldMessage({ held }, { before: message });
    const again = await trackHeldMessage({ held }, { before: message });

    expect(again).toBe('dropped');
    expect(held.idsOf(ROOM)).toEqual([]);
  });

  it('holds a quarantined message again when it is unhidden', async () => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('held', { moderation: 'quarantined', hidden });

    await trackHeldMessage({ held }, { before: message, after: { ...message, hidden: undefined } as typeof message });

    expect(held.idsOf(ROOM)).toEqual([message.messageId]);
  });

  it('leaves the queue alone for a message that is not and was not held', async () => {
    const held = new FakeHeldQueue();
    const message = pendingMessage('fine', { moderation: 'allowed' });

    const outcome = await trackHeldMessage({ held }, { after: message });
    const removed = await trackHeldMessage({ held }, { before: message });

    expect([outcome, removed]).toEqual(['unchanged', 'unchanged']);
    expect(held.markers.size).toBe(0);
  });
});
