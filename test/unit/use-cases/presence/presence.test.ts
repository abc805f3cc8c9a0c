import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { listMembers } from '../../../../lambdas/use-cases/list-members';
import type { PresenceDeps } from '../../../../lambdas/use-cases/presence/announce-presence';
import { goOffline } from '../../../../lambdas/use-cases/presence/go-offline';
import { goOnline } from '../../../../lambdas/use-cases/presence/go-online';
import { alice, bob, carol, fakeWorld } from '../../../support/fakes/chat';

describe('presence', () => {
  let world: ReturnType<typeof fakeWorld>;
  let deps: PresenceDeps;
  let lobby: string;
  let side: string;

  /** A connection as $connect registers it, then counted for presence. */
  const connect = async (connectionId: string, who: typeof alice, at = world.clock.now()) => {
    const rooms = (await world.rooms.listRoomsOfUser(who.userId)).map((r) => r.room.roomId);
    await world.connections.saveConnection({ connectionId, ...who, connectedAt: new Date(at).toISOString() }, rooms);
    return goOnline(deps, who, at);
  };
  const disconnect = async (connectionId: string, who: typeof alice, at = world.clock.now()) => {
    await world.connections.removeConnection(connectionId);
    return goOffline(deps, who, at);
  };
  const presenceFrames = (connectionId: string) =>
    world.gateway.framesFor(connectionId).filter((f) => (f as { type: string }).type === 'presence');

  beforeEach(async () => {
    world = fakeWorld();
    deps = { ...world.roomDeps, presence: world.presence };
    lobby = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    side = (await createRoom(world.roomDeps, alice, { name: 'Side', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId: lobby });
    await joinRoom(world.roomDeps, bob, { roomId: side });
    await joinRoom(world.roomDeps, carol, { roomId: lobby });
    await connect('c-alice', alice);
    await connect('c-carol', carol);
    world.gateway.posts.length = 0;
  });

  it("tells every room of a user on their first connection, to everyone's connections but their own", async () => {
    const outcome = await connect('c-bob-1', bob);

    expect(outcome.decision).toMatchObject({ kind: 'announce', online: true });
    expect(presenceFrames('c-alice')).toEqual(
      expect.arrayContaining([
        { type: 'presence', roomId: lobby, userId: bob.userId, online: true },
        { type: 'presence', roomId: side, userId: bob.userId, online: true },
      ]),
    );
    expect(presenceFrames('c-carol')).toEqual([{ type: 'presence', roomId: lobby, userId: bob.userId, online: true }]);
    expect(world.gateway.framesFor('c-bob-1')).toEqual([]);
  });

  it("announces to the rooms $connect just read without reading the user's rooms again", async () => {
    const rooms = (await world.rooms.listRoomsOfUser(bob.userId)).map((r) => r.room.roomId);
    await world.connections.saveConnection({ connectionId: 'c-bob-1', ...bob, connectedAt: new Date(world.clock.now()).toISOString() }, rooms);
    const reads = vi.spyOn(world.rooms, 'listRoomsOfUser');

    await goOnline(deps, bob, world.clock.now(), rooms);

    expect(reads).not.toHaveBeenCalled();
    expect(presenceFrames('c-alice')).toHaveLength(2);
    expect(presenceFrames('c-carol')).toEqual([{ type: 'presence', roomId: lobby, userId: bob.userId, online: true }]);
  });

  it('says nothing when a second tab opens, nor when one of two closes', async () => {
    await connect('c-bob-1', bob);
    world.gateway.posts.length = 0;

    expect((await connect('c-bob-2', bob)).decision.kind).toBe('unchanged');
    expect((await disconnect('c-bob-2', bob))?.decision.kind).toBe('unchanged');
    expect(world.gateway.posts).toEqual([]);
  });

  it('tells the rooms when the last connection closes', async () => {
    await connect('c-bob-1', bob);
    await connect('c-bob-2', bob);
    world.gateway.posts.length = 0;

    await disconnect('c-bob-1', bob);
    await disconnect('c-bob-2', bob);

    expect(presenceFrames('c-carol')).toEqual([{ type: 'presence', roomId: lobby, userId: bob.userId, online: false }]);
  });

  it('holds the announcements of a flapping connection once its burst is spent', async () => {
    for (let flap = 0; flap < 5; flap += 1) {
      await connect(`c-bob-${flap}`, bob);
      await disconnect(`c-bob-${flap}`, bob);
    }

    // Four announcements (online, offline, online, offline), then nothing until the limit refills.
    expect(presenceFrames('c-carol').map((f) => (f as { online: boolean }).online)).toEqual([true, false, true, false]);
  });

  it('lets only the later of two racing changes speak', async () => {
    const counted = await world.presence.countConnection(bob.userId, world.clock.now(), world.clock.now());
    await world.presence.uncountConnection(bob.userId, world.clock.now());

    // The first change's announcement comes too late: the count has moved on.
    expect(await world.presence.claimAnnouncement(bob.userId, counted.version, true, 0)).toBe(false);
  });

  it('takes nothing for a connection counted before the count restarted', async () => {
    const opened = world.clock.now();
    await connect('c-bob-old', bob, opened);
    world.clock.advance(4 * 60 * 60 * 1000); // the count expires with the connections' TTL
    await connect('c-bob-new', bob);

    expect(await goOffline(deps, bob, opened)).toBeUndefined();
    expect(await world.presence.onlineUsers([bob.userId], world.clock.now())).toEqual(new Set([bob.userId]));
  });

  it('lists members with whether each is online', async () => {
    await connect('c-bob-1', bob);
    await disconnect('c-carol', carol);

    const { members } = await listMembers(world, alice, { roomId: lobby, limit: 100 });

    expect(Object.fromEntries(members.map((m) => [m.userId, m.online]))).toEqual({
      [alice.userId]: true,
      [bob.userId]: true,
      [carol.userId]: false,
    });
  });

  it('counts a user whose connections outlived their TTL as offline', async () => {
    world.clock.advance(4 * 60 * 60 * 1000);

    const { members } = await listMembers(world, bob, { roomId: lobby, limit: 100 });

    expect(members.find((m) => m.userId === alice.userId)?.online).toBe(false);
  });
});
