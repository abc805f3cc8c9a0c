import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

type Profile = { userId: string; displayName: string; createdAt: string };
type Invitation = { roomId: string; userId: string; roomName: string; invitedByName: string; role: string; expiresAt: string };
type Room = { roomId: string; name: string };

/**
 * People and invitations through Parley's front door: the local runtime
 * driven over real WebSockets, each person with tokens from the local
 * identity provider, several connections where a person has several tabs.
 */
describe('people and invitations on the local runtime', () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  const whoami = async (client: TestClient) => (await client.ok<{ profile: Profile }>('whoami')).profile;
  const isType = (type: string, roomId: string) => (f: Frame) =>
    f.type === type && (f['roomId'] === roomId || (f['invitation'] as Invitation | undefined)?.roomId === roomId || (f['room'] as Room | undefined)?.roomId === roomId);

  it('tells whoever connects who they are', async () => {
    const zed = await parley.connect('zed');

    const profile = await whoami(zed);

    expect(profile).toMatchObject({ displayName: 'zed' });
    expect(profile.userId).toMatch(/^local-/);
  });

  it('delivers an invitation live to every connection, lists it after a reconnect, and accepting adds the room on each', async () => {
    const alice = await parley.connect('alice');
    const bob1 = await parley.connect('bob');
    const bob2 = await parley.connect('bob');
    const bobId = (await whoami(bob1)).userId;
    const { room } = await alice.ok<{ room: Room }>('createRoom', { name: 'Secret garden', visibility: 'private' });

    await alice.ok('inviteMember', { roomId: room.roomId, userId: bobId });

    for (const bob of [bob1, bob2]) {
      const frame = await bob.waitFor(isType('invitation', room.roomId));
      expect(frame['invitation']).toMatchObject({ roomName: 'Secret garden', invitedByName: 'alice', role: 'member' });
    }

    // A new connection (a reload) finds it waiting.
    await bob2.close();
    const bob3 = await parley.connect('bob');
    const listed = await bob3.ok<{ invitations: Invitation[] }>('listInvitations');
    expect(listed.invitations.map((i) => i.roomId)).toEqual([room.roomId]);
    // The invitation does not show among bob's rooms before he accepts.
    const before = await bob3.ok<{ rooms: Array<Room & { role?: string }> }>('listRooms');
    expect(before.rooms.map((r) => r.roomId)).not.toContain(room.roomId);

    const accepted = await bob1.ok<{ membership: { role: string } }>('acceptInvitation', { roomId: room.roomId });
    expect(accepted.membership.role).toBe('member');
    for (const bob of [bob1, bob3]) {
      const added = await bob.waitFor(isType('roomAdded', room.roomId));
      expect(added).toMatchObject({ room: { name: 'Secret garden' }, membership: { role: 'member' } });
    }

    // Both of bob's connections now receive the room's messages.
    await alice.ok('sendMessage', { roomId: room.roomId, text: 'welcome, bob', clientMessageId: 'w1' });
    for (const bob of [bob1, bob3]) {
      const message = await bob.waitFor(isType('message', room.roomId));
      expect((message['message'] as { text: string }).text).toBe('welcome, bob');
    }
    expect((await bob3.ok<{ invitations: Invitation[] }>('listInvitations')).invitations).toEqual([]);
    const after = await bob3.ok<{ rooms: Array<Room & { role?: string }> }>('listRooms');
    expect(after.rooms.find((r) => r.roomId === room.roomId)).toMatchObject({ role: 'member' });
  });

  it('lets the invitee decline and the owner revoke, telling the invitee at once', async () => {
    const owner = await parley.connect('olga');
    const guest = await parley.connect('gus');
    const guestId = (await whoami(guest)).userId;
    const { room: declined } = await owner.ok<{ room: Room }>('createRoom', { name: 'Declined', visibility: 'private' });
    const { room: revoked } = await owner.ok<{ room: Room }>('createRoom', { name: 'Revoked', visibility: 'private' });
    await owner.ok('inviteMember', { roomId: declined.roomId, userId: guestId });
    await owner.ok('inviteMember', { roomId: revoked.roomId, userId: guestId });
    await guest.waitForCount((f) => f.type === 'invitation', 2);

    await guest.ok('declineInvitation', { roomId: declined.roomId });
    const gone = await owner.ok('revokeInvitation', { roomId: revoked.roomId, userId: guestId });

    expect(gone).toEqual({ roomId: revoked.roomId, userId: guestId });
    expect(await guest.waitFor(isType('invitationRevoked', revoked.roomId))).toMatchObject({ by: (await whoami(owner)).userId });
    expect((await guest.ok<{ invitations: Invitation[] }>('listInvitations')).invitations).toEqual([]);
    for (const room of [declined, revoked]) {
      expect(await guest.request('joinRoom', { roomId: room.roomId })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
      expect(await guest.request('acceptInvitation', { roomId: room.roomId })).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    }
  });

  it('refuses to invite someone unknown and stores nothing', async () => {
    const owner = await parley.connect('uma');
    const { room } = await owner.ok<{ room: Room }>('createRoom', { name: 'Nobody', visibility: 'private' });

    const refused = await owner.request('inviteMember', { roomId: room.roomId, userId: 'local-0000000000000000' });

    expect(refused).toMatchObject({ type: 'error', code: 'NOT_FOUND' });
    expect(String(refused['message'])).toContain('local-0000000000000000');
    const tableName = Object.entries(parley.tables).find(([key]) => /rooms/i.test(key))?.[1];
    const rooms = new DynamoRoomRepository(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: parley.dynamoDbEndpoint,
          region: parley.region,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
      ),
      tableName as string,
    );
    expect(await rooms.getInvitation(room.roomId, 'local-0000000000000000')).toBeUndefined();
  });

  it('finds people by a prefix of their name, folded, and never by or with an email address', async () => {
    const finder = await parley.connect('fiona');
    const bea = await parley.connect('Béatrice');
    const ben = await parley.connect('benedict');
    await ben.ok('updateProfile', { displayName: 'Ben ben@example.com' });
    const ids = { bea: (await whoami(bea)).userId, ben: (await whoami(ben)).userId };

    const found = await finder.ok<{ users: Array<{ userId: string; displayName: string }> }>('findUsers', { query: 'BE' });

    expect(found.users).toEqual([
      { userId: ids.bea, displayName: 'Béatrice' },
      { userId: ids.ben, displayName: 'Ben [email]' },
    ]);
    expect(JSON.stringify(found)).not.toContain('example.com');
    expect((await finder.ok<{ users: unknown[] }>('findUsers', { query: 'beat' })).users).toHaveLength(1);
    expect((await finder.ok<{ users: unknown[] }>('findUsers', { query: 'example' })).users).toEqual([]);
    expect(await finder.request('findUsers', { query: 'ben@example.com' })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });

    const first = await finder.ok<{ users: Array<{ userId: string }>; nextCursor?: string }>('findUsers', { query: 'be', limit: 1 });
    const second = await finder.ok<{ users: Array<{ userId: string }>; nextCursor?: string }>('findUsers', {
      query: 'be',
      limit: 1,
      cursor: first.nextCursor,
    });
    expect([...first.users, ...second.users].map((u) => u.userId)).toEqual([ids.bea, ids.ben]);
  });

  it('sends roomAdded to a person’s other tabs when they create or join a room', async () => {
    const tab1 = await parley.connect('tess');
    const tab2 = await parley.connect('tess');
    const other = await parley.connect('oscar');

    const { room } = await tab1.ok<{ room: Room }>('createRoom', { name: 'Made in tab 1' });
    await other.ok('joinRoom', { roomId: room.roomId });

    expect(await tab2.waitFor(isType('roomAdded', room.roomId))).toMatchObject({ membership: { role: 'owner' } });
    expect(await other.waitFor(isType('roomAdded', room.roomId))).toMatchObject({ membership: { role: 'member' } });
  });
});
