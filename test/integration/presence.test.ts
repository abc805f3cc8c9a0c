import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/**
 * Presence, typing and read state through Parley's front door: the local
 * runtime, real WebSockets, the real $connect and $disconnect routes.
 */
describe('presence, typing and read state on the local runtime', () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    parley = await startLocalParley();
  });

  afterAll(async () => {
    await parley?.stop();
  });

  const presenceOf = (roomId: string, userId: string) => (f: Frame) =>
    f.type === 'presence' && f['roomId'] === roomId && f['userId'] === userId;
  const onlineIn = async (client: TestClient, roomId: string) => {
    const { members } = await client.ok<{ members: Array<{ userId: string; online: boolean }> }>('listMembers', { roomId });
    return Object.fromEntries(members.map((m) => [m.userId, m.online]));
  };

  /** A room of `owner`'s that `member` has joined, and the member's user id. */
  const roomWith = async (owner: TestClient, member: TestClient, name: string) => {
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name });
    const { membership } = await member.ok<{ membership: { userId: string } }>('joinRoom', { roomId: room.roomId });
    return { roomId: room.roomId, memberId: membership.userId };
  };

  it('announces a first connection once, not a second tab, and the last one closing', async () => {
    const alice = await parley.connect('presence-alice');
    const joining = await parley.connect('presence-bob');
    const { roomId, memberId: bobId } = await roomWith(alice, joining, 'presence');
    await joining.close();
    await alice.waitFor((f) => presenceOf(roomId, bobId)(f) && f['online'] === false);
    const before = alice.frames.filter(presenceOf(roomId, bobId)).length;

    const bob1 = await parley.connect('presence-bob');
    const online = await alice.waitFor((f) => presenceOf(roomId, bobId)(f) && f['online'] === true);
    expect(online).toEqual({ type: 'presence', roomId, userId: bobId, online: true });
    expect(await onlineIn(alice, roomId)).toMatchObject({ [bobId]: true });

    // A second tab: its typing notice reaches alice after anything its $connect posted.
    const bob2 = await parley.connect('presence-bob');
    await bob2.ok('typing', { roomId });
    await alice.waitFor((f) => f.type === 'typing' && f['userId'] === bobId);
    expect(alice.frames.filter(presenceOf(roomId, bobId))).toHaveLength(before + 1);

    await bob1.close();
    await bob2.close();
    const offline = await alice.waitFor(
      (f) => presenceOf(roomId, bobId)(f) && f['online'] === false && alice.frames.indexOf(f) > alice.frames.indexOf(online),
    );
    expect(offline).toEqual({ type: 'presence', roomId, userId: bobId, online: false });
    expect(alice.frames.filter(presenceOf(roomId, bobId))).toHaveLength(before + 2);
    expect(await onlineIn(alice, roomId)).toMatchObject({ [bobId]: false });
    expect(bob1.frames.filter((f) => f.type === 'presence' && f['userId'] === bobId)).toEqual([]);
  });

  it("sends typing notices to the room's other members only, under a tight limit", async () => {
    const carol = await parley.connect('typing-carol');
    const dave1 = await parley.connect('typing-dave');
    const dave2 = await parley.connect('typing-dave');
    const { roomId, memberId: daveId } = await roomWith(carol, dave1, 'typing');

    const ack = await dave1.ok<{ expiresInMs: number }>('typing', { roomId });
    expect(ack.expiresInMs).toBeGreaterThan(0);
    const notice = await carol.waitFor((f) => f.type === 'typing' && f['roomId'] === roomId);
    expect(notice).toMatchObject({ userId: daveId, displayName: 'typing-dave', expiresInMs: ack.expiresInMs });

    // A message after the notice reaches dave's other tab: by then any typing frame would have too.
    await carol.ok('sendMessage', { roomId, text: 'after the notice', clientMessageId: 'after' });
    await dave2.waitFor((f) => f.type === 'message' && f['roomId'] === roomId);
    expect(dave2.frames.filter((f) => f.type === 'typing')).toEqual([]);
    expect(dave1.frames.filter((f) => f.type === 'typing')).toEqual([]);

    const answers: Frame[] = [];
    for (let i = 0; i < 6; i += 1) answers.push(await dave1.request('typing', { roomId }));
    expect(answers.filter((f) => f.type === 'error').map((f) => f['code'])).toContain('RATE_LIMITED');

    const outsider = await parley.connect('typing-outsider');
    expect(await outsider.request('typing', { roomId })).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });

  it("moves the read mark, tells the person's other tab and keeps it for a new one", async () => {
    const erin1 = await parley.connect('read-erin');
    const erin2 = await parley.connect('read-erin');
    const { room } = await erin1.ok<{ room: { roomId: string } }>('createRoom', { name: 'reading' });
    const roomId = room.roomId;
    const { messageId } = await erin1.ok<{ messageId: string }>('sendMessage', { roomId, text: 'read me', clientMessageId: 'r1' });

    const marked = await erin1.ok<{ moved: boolean; readState: { messageId: string } }>('markRead', { roomId, messageId });
    expect(marked).toMatchObject({ moved: true, readState: { messageId } });
    expect(await erin2.waitFor((f) => f.type === 'readState')).toMatchObject({ type: 'readState', roomId, messageId });
    expect(erin1.frames.filter((f) => f.type === 'readState')).toEqual([]);

    expect(await erin1.request('markRead', { roomId, messageId: 'not-a-message' })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });

    await erin1.close();
    await erin2.close();
    const erin3 = await parley.connect('read-erin');
    const { readStates } = await erin3.ok<{ readStates: Array<{ roomId: string; messageId: string }> }>('getReadState', {
      roomIds: [roomId],
    });
    expect(readStates).toEqual([expect.objectContaining({ roomId, messageId })]);
  });
});
