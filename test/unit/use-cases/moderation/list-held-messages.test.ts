import { describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { PAGE_BUDGET_BYTES, utf8Bytes } from '../../../../lambdas/domain/frame-budget';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { releaseMessage } from '../../../../lambdas/use-cases/moderation/moderate-actions';
import { listHeldMessages } from '../../../../lambdas/use-cases/moderation/list-held-messages';
import { trackHeldMessage } from '../../../../lambdas/use-cases/moderation/track-held-message';
import { FakeHeldQueue, moderationWorld, pendingMessage, ROOM } from '../../../support/fakes/moderation';

const as = (userId: string) => ({ userId, displayName: userId });

/** A moderation world whose messages reach the review queue as the stream would carry them. */
async function heldWorld() {
  const world = await moderationWorld();
  const queue = new FakeHeldQueue();
  const store = async (message: ModeratedMessage) => {
    world.messages.put(message);
    await trackHeldMessage({ held: queue }, { after: message });
    return message;
  };
  const deps = { rooms: world.rooms, held: queue, messages: world.messages };
  return { ...world, queue, store, deps };
}

async function worldWithHistory() {
  const world = await heldWorld();
  const held = await world.store(pendingMessage('held long ago', { moderation: 'quarantined', decision: 'quarantined', reasons: ['injection'] }));
  for (let i = 0; i < 30; i += 1) await world.store(pendingMessage(`chat ${i}`, { moderation: 'allowed', decision: 'allowed' }));
  const recent = await world.store(pendingMessage('held today', { moderation: 'quarantined', decision: 'quarantined' }));
  await world.store({ ...pendingMessage('other room'), roomId: 'room-2', moderation: 'quarantined' });
  return { ...world, held, recent };
}

describe('listHeldMessages', () => {
  it('lists every held message of the room, oldest first, reading only the messages its queue names', async () => {
    const world = await worldWithHistory();

    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page).toEqual({ roomId: ROOM, items: [world.held, world.recent] });
    expect(world.messages.manyReads).toEqual([[world.held.messageId, world.recent.messageId]]);
  });

  it('pages by cursor', async () => {
    const world = await worldWithHistory();

    const first = await listHeldMessages(world.deps, as('olga'), { roomId: ROOM, limit: 1 });
    const second = await listHeldMessages(world.deps, as('olga'), { roomId: ROOM, limit: 1, cursor: first.nextCursor! });

    expect(first.items.map((m) => m.text)).toEqual(['held long ago']);
    expect(first.nextCursor).toBe(world.held.messageId);
    expect(second.items.map((m) => m.text)).toEqual(['held today']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('skips and removes a marker whose message was released before the queue caught up', async () => {
    const world = await worldWithHistory();

    // Released, but the change has not reached the queue yet: its marker is still there.
    await releaseMessage(world, as('mo'), { roomId: ROOM, messageId: world.held.messageId });
    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page.items.map((m) => m.messageId)).toEqual([world.recent.messageId]);
    expect(world.queue.idsOf(ROOM)).toEqual([world.recent.messageId]);
  });

  it('skips and removes markers of messages that are gone or hidden, and leads on after them', async () => {
    const world = await worldWithHistory();
    await world.messages.delete(ROOM, world.held.messageId);
    await world.messages.setHidden(ROOM, world.recent.messageId, { by: 'mo', at: '2026-11-21T12:01:00.000Z' });

    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 1 });

    expect(page.items).toEqual([]);
    expect(page.nextCursor).toBe(world.held.messageId);
    expect(world.queue.idsOf(ROOM)).toEqual([world.recent.messageId]);
  });

  it('keeps the marker of a message held again between its read and the clean-up (an unhide racing the reader)', async () => {
    const world = await worldWithHistory();
    const hidden = { ...world.held, hidden: { by: 'mo', at: '2026-11-21T12:01:00.000Z' } } as ModeratedMessage;
    world.messages.put(hidden);
    // The reader reads the hidden message; before it cleans up, an unhide holds it again and the stream re-marks it.
    const racing = {
      getMany: async (roomId: string, ids: readonly string[]) => {
        const read = await world.messages.getMany(roomId, ids);
        world.messages.put(world.held);
        await trackHeldMessage({ held: world.queue }, { before: hidden, after: world.held });
        return read;
      },
    };

    const page = await listHeldMessages({ ...world.deps, messages: racing }, as('mo'), { roomId: ROOM, limit: 50 });
    const next = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page.items.map((m) => m.messageId)).toEqual([world.recent.messageId]);
    expect(world.queue.idsOf(ROOM)).toEqual([world.held.messageId, world.recent.messageId]);
    expect(next.items.map((m) => m.messageId)).toEqual([world.held.messageId, world.recent.messageId]);
  });

  it('leaves out a marker past its expiry', async () => {
    const world = await heldWorld();
    const expired = pendingMessage('expired', { moderation: 'quarantined' });
    world.messages.put(expired);
    await world.queue.hold({ roomId: ROOM, messageId: expired.messageId, expiresAt: world.queue.now - 1 });

    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page.items).toEqual([]);
  });

  it('cuts a page at the byte budget and continues after the last message kept', async () => {
    const world = await heldWorld();
    for (let i = 0; i < 40; i += 1) await world.store(pendingMessage('x'.repeat(4000), { moderation: 'quarantined' }));

    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 40 });

    expect(page.items.length).toBeLessThan(40);
    expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    expect(page.nextCursor).toBe(page.items.at(-1)!.messageId);
  });

  it('refuses plain members and strangers, reading nothing', async () => {
    const world = await worldWithHistory();

    await expect(listHeldMessages(world.deps, as('mia'), { roomId: ROOM, limit: 50 })).rejects.toThrow(PermissionError);
    await expect(listHeldMessages(world.deps, as('zed'), { roomId: ROOM, limit: 50 })).rejects.toThrow(PermissionError);
    expect(world.queue.pages).toBe(0);
  });

  it('refuses a cursor Parley did not issue, reading nothing', async () => {
    const world = await worldWithHistory();

    await expect(
      listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50, cursor: 'MSG#nope' }),
    ).rejects.toThrow(ValidationError);
    expect(world.queue.pages).toBe(0);
  });
});
