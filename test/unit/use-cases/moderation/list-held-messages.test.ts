import { describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { PAGE_BUDGET_BYTES, utf8Bytes } from '../../../../lambdas/domain/frame-budget';
import { releaseMessage } from '../../../../lambdas/use-cases/moderation/moderate-actions';
import { listHeldMessages } from '../../../../lambdas/use-cases/moderation/list-held-messages';
import { moderationWorld, pendingMessage, ROOM } from '../../../support/fakes/moderation';

const as = (userId: string) => ({ userId, displayName: userId });

async function worldWithHistory() {
  const world = await moderationWorld();
  const held = pendingMessage('held long ago', { moderation: 'quarantined', decision: 'quarantined', reasons: ['injection'] });
  world.messages.put(held);
  for (let i = 0; i < 30; i += 1) world.messages.put(pendingMessage(`chat ${i}`, { moderation: 'allowed', decision: 'allowed' }));
  const recent = pendingMessage('held today', { moderation: 'quarantined', decision: 'quarantined' });
  world.messages.put(recent);
  world.messages.put({ ...pendingMessage('other room'), roomId: 'room-2', moderation: 'quarantined' });
  const deps = { rooms: world.rooms, held: world.messages };
  return { ...world, deps, held, recent };
}

describe('listHeldMessages', () => {
  it('lists every held message of the room, oldest first, without reading the history', async () => {
    const world = await worldWithHistory();

    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page).toEqual({ roomId: ROOM, items: [world.held, world.recent] });
    expect(world.messages.heldReads).toEqual([2]);
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

  it('leaves out a message once it is released', async () => {
    const world = await worldWithHistory();

    await releaseMessage(world, as('mo'), { roomId: ROOM, messageId: world.held.messageId });
    const page = await listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50 });

    expect(page.items.map((m) => m.messageId)).toEqual([world.recent.messageId]);
  });

  it('cuts a page at the byte budget and continues after the last message kept', async () => {
    const world = await moderationWorld();
    for (let i = 0; i < 40; i += 1) {
      world.messages.put(pendingMessage('x'.repeat(4000), { moderation: 'quarantined' }));
    }

    const page = await listHeldMessages({ rooms: world.rooms, held: world.messages }, as('mo'), { roomId: ROOM, limit: 40 });

    expect(page.items.length).toBeLessThan(40);
    expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    expect(page.nextCursor).toBe(page.items.at(-1)!.messageId);
  });

  it('refuses plain members and strangers, reading nothing', async () => {
    const world = await worldWithHistory();

    await expect(listHeldMessages(world.deps, as('mia'), { roomId: ROOM, limit: 50 })).rejects.toThrow(PermissionError);
    await expect(listHeldMessages(world.deps, as('zed'), { roomId: ROOM, limit: 50 })).rejects.toThrow(PermissionError);
    expect(world.messages.heldReads).toEqual([]);
  });

  it('refuses a cursor Parley did not issue, reading nothing', async () => {
    const world = await worldWithHistory();

    await expect(
      listHeldMessages(world.deps, as('mo'), { roomId: ROOM, limit: 50, cursor: 'MSG#nope' }),
    ).rejects.toThrow(ValidationError);
    expect(world.messages.heldReads).toEqual([]);
  });
});
