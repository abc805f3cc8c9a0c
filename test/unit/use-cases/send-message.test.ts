import { beforeEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitedError,
  ValidationError,
} from '../../../lambdas/domain/errors';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../lambdas/domain/moderation/settings';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { alice, bob, carol, fakeWorld } from '../../support/fakes/chat';

describe('sendMessage', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-bob-1', ...bob, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-bob-2', ...bob, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-carol', ...carol, connectedAt: '' }, []);
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
    world.gateway.posts.length = 0;
  });

  const send = (text: string, clientMessageId = 'm1', who = alice) =>
    sendMessage(world.sendDeps, who, { roomId, clientMessageId, text });

  it('stores an allowed message in its final state and delivers it to every connection of the room', async () => {
    const result = await send('hello', 'm1', bob);

    expect(result.duplicate).toBe(false);
    expect(result.decision).toBe('allowed');
    expect(world.messages.messages).toHaveLength(1);
    expect(world.messages.messages[0]).toMatchObject({ moderation: 'allowed', decision: 'allowed', reasons: [] });
    expect(world.gateway.posts.map((p) => p.connectionId).sort()).toEqual(['c-alice', 'c-bob-1', 'c-bob-2']);
    expect(world.gateway.framesFor('c-alice')[0]).toMatchObject({
      type: 'message',
      roomId,
      message: { text: 'hello', senderId: bob.userId, senderName: 'Bob', senderType: 'human', moderation: 'allowed' },
    });
  });

  it('stamps a message of a room with agents, read with the room’s settings', async () => {
    world.settings.roomsWithAgents.add(roomId);

    const result = await send('hello @helper', 'm1', bob);

    expect(result.message.agents).toBe(true);
    expect(world.messages.messages[0]).toMatchObject({ agents: true });
  });

  it('stores whom the message mentions, resolved from the room’s members, and nothing when it mentions nobody', async () => {
    const mentioning = await send('over to you @bob, and @nobody', 'm1', alice);
    const plain = await send('thanks', 'm2', bob);

    expect(mentioning.message.mentions).toEqual([{ kind: 'member', id: bob.userId }]);
    expect(world.messages.messages[0]).toMatchObject({ mentions: [{ kind: 'member', id: bob.userId }] });
    expect(plain.message).not.toHaveProperty('mentions');
    expect(world.gateway.framesFor('c-bob-1')[0]).toMatchObject({ message: { mentions: [{ kind: 'member', id: bob.userId }] } });
  });

  it('leaves a message of a room without agents unstamped, so the agents’ dispatcher is not invoked for it', async () => {
    const result = await send('hello @helper', 'm1', bob);

    expect(result.message).not.toHaveProperty('agents');
    expect(world.messages.messages[0]).not.toHaveProperty('agents');
  });

  it('never sends other members the original text of a redacted message, and keeps the original for moderators', async () => {
    const result = await send('mail me at bob@example.com', 'm1', bob);

    expect(world.messages.messages[0]).toMatchObject({
      text: 'mail me at [email]',
      moderation: 'redacted',
      redacted: true,
      reasons: ['pii.email'],
    });
    expect(await world.originals.get(roomId, result.message.messageId)).toMatchObject({
      text: 'mail me at bob@example.com',
      senderId: bob.userId,
      reasons: ['pii.email'],
    });
    expect(world.gateway.framesFor('c-alice')).toEqual([
      { type: 'message', roomId, message: expect.objectContaining({ text: 'mail me at [email]', moderation: 'redacted' }) },
    ]);
    expect(JSON.stringify(world.gateway.posts)).not.toContain('bob@example.com');
  });

  it('keeps no original when the room keeps none', async () => {
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { keepOriginals: false }));

    await send('mail me at bob@example.com', 'm1', bob);

    expect(world.messages.messages[0]).toMatchObject({ moderation: 'redacted' });
    expect(world.originals.items.size).toBe(0);
  });

  it('delivers a quarantined message only to its sender and the room’s moderators at send time', async () => {
    await world.connections.saveConnection({ connectionId: 'c-dave', userId: 'u-dave', displayName: 'Dave', connectedAt: '' }, []);
    await joinRoom(world.roomDeps, { userId: 'u-dave', displayName: 'Dave' }, { roomId });
    world.gateway.posts.length = 0;
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'quarantine' } }));

    await send('what the fuck', 'm1', bob);

    expect(world.messages.messages[0]).toMatchObject({ moderation: 'quarantined', decision: 'quarantined' });
    // alice owns the room; dave is a plain member.
    expect(world.gateway.posts.map((p) => p.connectionId).sort()).toEqual(['c-alice', 'c-bob-1', 'c-bob-2']);
    expect(world.gateway.framesFor('c-dave')).toEqual([]);
  });

  it('delivers a blocked message to its sender and moderators with its text removed', async () => {
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'block' } }));

    await send('what the fuck', 'm1', bob);

    expect(world.messages.messages[0]).toMatchObject({ moderation: 'blocked' });
    expect(JSON.stringify(world.gateway.posts)).not.toContain('fuck');
  });

  it('acknowledges a retry with the first message and stores and delivers nothing more', async () => {
    const first = await send('hello', 'same-id');
    const postsAfterFirst = world.gateway.posts.length;
    const retry = await send('hello', 'same-id');

    expect(retry.duplicate).toBe(true);
    // Counted once, when it was stored.
    expect(retry.decision).toBeUndefined();
    expect(retry.message.messageId).toBe(first.message.messageId);
    expect(world.messages.messages).toHaveLength(1);
    expect(postsAfterFirst).toBe(3);
    expect(world.gateway.posts).toHaveLength(postsAfterFirst);
  });

  it('stores each message with the expiry its room’s retention gives it', async () => {
    world.retention.days.set(roomId, 7);

    const result = await send('hello');

    expect(world.messages.expiries.get(result.message.messageId)).toBe(world.clock.now() / 1000 + 7 * 86_400);
  });

  it('stores a message of a room kept forever without expiry', async () => {
    const result = await send('hello');

    expect(world.messages.messages).toHaveLength(1);
    expect(world.messages.expiries.get(result.message.messageId)).toBeUndefined();
  });

  it('asks for the room’s retention with the membership when the instance does not hold it, and not when it does', async () => {
    world.retention.days.set(roomId, 7);
    const asked: boolean[] = [];
    const read = world.context.read.bind(world.context);
    world.context.read = (id, user, options) => (asked.push(options?.withRetention === true), read(id, user, options));
    world.retention.held = () => ({ days: 7, archiveDeletions: false, source: 'room' as const });

    const held = await send('hello', 'm1');
    world.retention.held = () => undefined;
    const read2 = await send('again', 'm2');

    expect(asked).toEqual([false, true]);
    expect(world.context.reads).toBe(2);
    expect(world.messages.expiries.get(held.message.messageId)).toBe(world.clock.now() / 1000 + 7 * 86_400);
    expect(world.messages.expiries.get(read2.message.messageId)).toBe(world.clock.now() / 1000 + 7 * 86_400);
  });

  it('stores nothing when the room’s retention cannot be read', async () => {
    world.retention.failingRooms.add(roomId);

    await expect(send('hello')).rejects.toThrow('retention unavailable');
    expect(world.messages.messages).toHaveLength(0);
    expect(world.gateway.posts).toHaveLength(0);
  });

  it('rejects a text over the byte limit before any write', async () => {
    await expect(send('é'.repeat(2049))).rejects.toThrow(PayloadTooLargeError); // 4098 bytes
    expect(world.messages.messages).toHaveLength(0);
    expect(world.rateLimiter.calls).toHaveLength(0);
  });

  it('rejects whitespace-only and invisible-only text alike, storing nothing', async () => {
    for (const text of ['   ', '\u200b', '\u200c\u200d\u2060\ufeff', '\u00ad \u202e\u2066', '\ufe0f\u{e0041}']) {
      await expect(send(text)).rejects.toThrow(new ValidationError('The text is empty.'));
    }
    expect(world.messages.messages).toHaveLength(0);
    expect(world.rateLimiter.calls).toHaveLength(0);
  });

  it('stores text with visible characters and joiners, such as an emoji sequence', async () => {
    await send('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', 'family');
    await send('\u200bhi\u200b', 'hi');

    expect(world.messages.messages.map((m) => m.text)).toEqual(['👨‍👩‍👧', '\u200bhi\u200b']);
  });

  it('rejects a non-member of a public room as forbidden', async () => {
    await expect(send('hi', 'x', carol)).rejects.toThrow(PermissionError);
    expect(world.messages.messages).toHaveLength(0);
  });

  it('reads the sender’s membership and the room’s settings once, together, and the settings of another room never', async () => {
    const settingsRead: string[] = [];
    const getForCheck = world.settings.getForCheck.bind(world.settings);
    world.settings.getForCheck = async (id) => (settingsRead.push(id), getForCheck(id));
    world.context.reads = 0;

    await send('hello', 'm1', bob);

    expect(world.context.reads).toBe(1);
    expect(settingsRead).toEqual([roomId]);
  });

  it('applies settings saved just before a message to that message: nothing is cached between messages', async () => {
    await send('what the fuck', 'm1', bob);
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'block' } }));

    const after = await send('what the fuck', 'm2', bob);

    expect(world.messages.messages.map((m) => m.moderation)).toEqual(['redacted', 'blocked']);
    expect(after.decision).toBe('blocked');
  });

  it('refuses someone removed just before their message', async () => {
    await send('hello', 'm1', bob);
    await world.rooms.deleteMembership(roomId, bob.userId);

    await expect(send('still here?', 'm2', bob)).rejects.toThrow(PermissionError);
    expect(world.messages.messages).toHaveLength(1);
  });

  it('reports an unknown room as not found', async () => {
    await expect(sendMessage(world.sendDeps, alice, { roomId: 'nope', clientMessageId: 'x', text: 'hi' })).rejects.toThrow(
      NotFoundError,
    );
  });

  it('rejects a guest', async () => {
    const m = (await world.rooms.getMembership(roomId, bob.userId))!;
    await world.rooms.putMembership({ ...m, role: 'guest' });
    await expect(send('hi', 'x', bob)).rejects.toThrow(PermissionError);
  });

  it('rejects a sender over the rate limit and stores nothing', async () => {
    world.rateLimiter.allow = false;
    await expect(send('hi')).rejects.toThrow(RateLimitedError);
    expect(world.messages.messages).toHaveLength(0);
    expect(world.rateLimiter.calls).toEqual([alice.userId]);
  });

  it('removes a gone connection and still delivers to the others', async () => {
    world.gateway.gone.add('c-bob-1');

    const result = await send('hello', 'm1', bob);

    expect(result.delivery).toEqual({ recipients: 3, delivered: 2, gone: 1, failed: 0, failures: [] });
    expect(world.connections.removed).toEqual(['c-bob-1']);
    expect(world.gateway.framesFor('c-bob-2')).toHaveLength(1);
    expect(await world.connections.getConnection('c-alice')).toBeDefined();
  });

  it('reports a failed post with its reason without losing the stored message', async () => {
    world.gateway.failing.add('c-bob-2');
    const result = await send('hello', 'm1', bob);
    expect(result.delivery).toMatchObject({
      recipients: 3,
      delivered: 2,
      failed: 1,
      failures: [{ connectionId: 'c-bob-2', status: 429, error: 'LimitExceededException' }],
    });
    expect(world.messages.messages).toHaveLength(1);
    expect(world.connections.removed).toEqual([]);
  });
});
