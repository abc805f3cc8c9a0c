import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

type RoomAck = { room: { roomId: string; name: string }; membership: { userId: string } };

/**
 * Room administration through Parley's front door: the local runtime, real
 * WebSockets, several people and tabs.
 */
describe('room administration on the local runtime', () => {
  let parley: LocalParleyProcess;

  const isType = (type: string, roomId: string) => (f: Frame) => f.type === type && (f['roomId'] === roomId || (f['room'] as { roomId?: string } | undefined)?.roomId === roomId);
  const errorOf = async (client: TestClient, action: string, payload: Record<string, unknown>) => {
    const frame = await client.request(action, payload);
    expect(frame.type, `${action} should fail`).toBe('error');
    return { code: frame['code'], message: String(frame['message']) };
  };

  /** A room of `owner`'s that `members` joined; resolves the room id and each member's user id. */
  const roomWith = async (owner: TestClient, name: string, members: TestClient[]) => {
    const { room, membership } = await owner.ok<RoomAck>('createRoom', { name });
    const userIds: string[] = [];
    for (const member of members) {
      userIds.push((await member.ok<RoomAck>('joinRoom', { roomId: room.roomId })).membership.userId);
    }
    return { roomId: room.roomId, ownerId: membership.userId, userIds };
  };

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('shows a new name to every member, on every tab', async () => {
    const alice = await parley.connect('rename-alice');
    const bobTab1 = await parley.connect('rename-bob');
    const bobTab2 = await parley.connect('rename-bob');
    const { roomId } = await roomWith(alice, 'Old name', [bobTab1]);

    await alice.ok('updateRoom', { roomId, name: 'New name', topic: 'Plans' });

    for (const client of [alice, bobTab1, bobTab2]) {
      const frame = await client.waitFor(isType('roomUpdated', roomId));
      expect(frame['room']).toMatchObject({ roomId, name: 'New name', topic: 'Plans' });
    }
    const { rooms } = await bobTab2.ok<{ rooms: Array<{ roomId: string; name: string }> }>('listRooms');
    expect(rooms.find((r) => r.roomId === roomId)?.name).toBe('New name');
  });

  it('tells the members of a deleted room, then answers deleted to history, join, post and getRoom', async () => {
    const alice = await parley.connect('delete-alice');
    const bob = await parley.connect('delete-bob');
    const carol = await parley.connect('delete-carol');
    const { roomId } = await roomWith(alice, 'Doomed', [bob]);
    await bob.ok('sendMessage', { roomId, text: 'last words', clientMessageId: 'd1' });

    expect((await errorOf(alice, 'deleteRoom', { roomId, confirm: 'doomed' })).code).toBe('BAD_REQUEST');
    await alice.ok('deleteRoom', { roomId, confirm: 'Doomed' });

    expect(await bob.waitFor(isType('roomRemoved', roomId))).toMatchObject({ reason: 'deleted' });
    for (const [client, action, payload] of [
      [bob, 'getHistory', { roomId }],
      [carol, 'joinRoom', { roomId }],
      [bob, 'sendMessage', { roomId, text: 'anyone?', clientMessageId: 'd2' }],
    ] as const) {
      const error = await errorOf(client, action, payload);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toMatch(/deleted/);
    }
    expect(await carol.ok('getRoom', { roomId })).toEqual({ status: 'deleted', roomId });
  });

  it('hands a room over, after which the former owner may leave', async () => {
    const alice = await parley.connect('transfer-alice');
    const bob = await parley.connect('transfer-bob');
    const { roomId, userIds } = await roomWith(alice, 'Handover', [bob]);

    expect((await errorOf(alice, 'leaveRoom', { roomId })).message).toMatch(/transferOwnership/);
    const { room } = await alice.ok<{ room: { ownerId: string } }>('transferOwnership', { roomId, userId: userIds[0] });
    expect(room.ownerId).toBe(userIds[0]);
    await alice.ok('leaveRoom', { roomId });

    expect(await alice.waitFor(isType('roomRemoved', roomId))).toMatchObject({ reason: 'left' });
    expect(await bob.ok('getRoom', { roomId })).toMatchObject({ status: 'member', membership: { role: 'owner' } });
  });

  it('keeps a banned person out of joining, invitations and posting until unbanned', async () => {
    const alice = await parley.connect('ban-alice');
    const mallory = await parley.connect('ban-mallory');
    const { roomId, userIds } = await roomWith(alice, 'Guarded', [mallory]);
    const malloryId = userIds[0]!;

    await alice.ok('banMember', { roomId, userId: malloryId, reason: 'spam' });

    expect(await mallory.waitFor(isType('roomRemoved', roomId))).toMatchObject({ reason: 'banned' });
    expect((await errorOf(mallory, 'joinRoom', { roomId })).code).toBe('FORBIDDEN');
    expect((await errorOf(alice, 'inviteMember', { roomId, userId: malloryId })).code).toBe('CONFLICT');
    expect((await errorOf(mallory, 'sendMessage', { roomId, text: 'hi', clientMessageId: 'b1' })).code).toBe('FORBIDDEN');
    const { items } = await alice.ok<{ items: Array<{ userId: string }> }>('listBans', { roomId });
    expect(items.map((b) => b.userId)).toEqual([malloryId]);

    await alice.ok('unbanMember', { roomId, userId: malloryId });
    await mallory.ok('joinRoom', { roomId });
  });

  it('previews a public room for a non-member with its member count and recent messages', async () => {
    const alice = await parley.connect('preview-alice');
    const visitor = await parley.connect('preview-visitor');
    const { roomId } = await roomWith(alice, 'Open house', []);
    await alice.ok('updateRoom', { roomId, topic: 'Come in' });
    await alice.ok('sendMessage', { roomId, text: 'welcome', clientMessageId: 'p1' });
    // The message is readable by others once moderation allowed it.
    await alice.waitFor((f) => f.type === 'messageUpdated' || (f.type === 'message' && (f['message'] as { moderation?: string }).moderation === 'allowed'));

    const view = await visitor.ok<{ status: string; memberCount: number; room: { topic: string }; messages: Array<{ text: string }> }>(
      'getRoom',
      { roomId },
    );

    expect(view).toMatchObject({ status: 'preview', memberCount: 1, room: { topic: 'Come in' } });
    expect(view.messages.map((m) => m.text)).toEqual(['welcome']);
  });

  it('finds public rooms by name prefix, a page at a time, and never private ones', async () => {
    const alice = await parley.connect('search-alice');
    for (const name of ['Zebra one', 'zebra two', 'ZEBRA three']) await alice.ok('createRoom', { name });
    await alice.ok('createRoom', { name: 'Zebra hidden', visibility: 'private' });

    const first = await alice.ok<{ rooms: Array<{ name: string }>; nextCursor?: string }>('searchRooms', { query: 'zeb', limit: 2 });
    const second = await alice.ok<{ rooms: Array<{ name: string }>; nextCursor?: string }>('searchRooms', {
      query: 'ZEB',
      limit: 2,
      cursor: first.nextCursor,
    });

    expect(first.rooms).toHaveLength(2);
    expect([...first.rooms, ...second.rooms].map((r) => r.name).sort()).toEqual(['ZEBRA three', 'Zebra one', 'zebra two']);
    expect(second.nextCursor).toBeUndefined();
  });
});
