import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../lambdas/domain/errors';
import { PAGE_BUDGET_BYTES, utf8Bytes } from '../../../lambdas/domain/frame-budget';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { getHistory } from '../../../lambdas/use-cases/get-history';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { alice, bob, fakeWorld } from '../../support/fakes/chat';

describe('getHistory', () => {
  let world: ReturnType<typeof fakeWorld>;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Secret', visibility: 'private' })).room.roomId;
    for (let i = 0; i < 7; i += 1) {
      world.clock.advance(1);
      await sendMessage(world.sendDeps, alice, { roomId, clientMessageId: `c${i}`, text: `m${i}` });
    }
  });

  it('pages backwards in chronological pages and forwards to catch up', async () => {
    const deps = { rooms: world.rooms, messages: world.messages };
    const newest = await getHistory(deps, alice, { roomId, limit: 3, direction: 'backward' });
    expect(newest.items.map((m) => m.text)).toEqual(['m4', 'm5', 'm6']);

    const older = await getHistory(deps, alice, { roomId, limit: 3, direction: 'backward', cursor: newest.nextCursor! });
    expect(older.items.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);

    const after = await getHistory(deps, alice, { roomId, limit: 10, direction: 'forward', cursor: older.items[0]!.messageId });
    expect(after.items.map((m) => m.text)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect(after.nextCursor).toBeUndefined();
  });

  it('hides a private room from a non-member', async () => {
    await expect(
      getHistory({ rooms: world.rooms, messages: world.messages }, bob, { roomId, limit: 10, direction: 'backward' }),
    ).rejects.toThrow(NotFoundError);
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(
      getHistory({ rooms: world.rooms, messages: world.messages }, alice, {
        roomId,
        limit: 10,
        direction: 'backward',
        cursor: '../../etc',
      }),
    ).rejects.toThrow(ValidationError);
  });

  describe('with messages of 4 KB', () => {
    const deps = () => ({ rooms: world.rooms, messages: world.messages });
    let texts: string[];

    beforeEach(async () => {
      texts = [];
      for (let i = 0; i < 60; i += 1) {
        world.clock.advance(1);
        // Two-byte characters: 4 KB of UTF-8 in 2,048 characters.
        const text = `${String(i).padStart(2, '0')}${'é'.repeat(2047)}`;
        texts.push(text);
        await sendMessage(world.sendDeps, alice, { roomId, clientMessageId: `big${i}`, text });
      }
    });

    it('stops a page before its messages pass the byte budget and continues right after the last one kept', async () => {
      const page = await getHistory(deps(), alice, { roomId, limit: 100, direction: 'backward' });

      expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
      expect(page.items.length).toBeLessThan(60);
      expect(page.items.at(-1)!.text).toBe(texts.at(-1));
      expect(page.nextCursor).toBe(page.items[0]!.messageId);
    });

    it('reaches every message exactly once, in order, paging backward', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await getHistory(deps(), alice, { roomId, limit: 100, direction: 'backward', ...(cursor ? { cursor } : {}) });
        expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
        seen.unshift(...page.items.map((m) => m.text));
        cursor = page.nextCursor;
      } while (cursor !== undefined);

      expect(seen).toEqual([...['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'], ...texts]);
    });

    it('reaches every message exactly once, in order, catching up forward', async () => {
      const seen = ['m0'];
      let cursor: string | undefined = world.messages.messages[0]!.messageId;
      do {
        const page = await getHistory(deps(), alice, { roomId, limit: 50, direction: 'forward', cursor });
        expect(utf8Bytes(JSON.stringify(page.items))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
        seen.push(...page.items.map((m) => m.text));
        cursor = page.nextCursor;
      } while (cursor !== undefined);

      expect(seen).toEqual([...['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'], ...texts]);
    });
  });
});
