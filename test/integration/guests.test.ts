import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionRefusedError, type Frame, type LocalParleyProcess, startLocalParley, TestClient } from '../support/local-parley';

/**
 * Guests through the front door: an owner lets guests in, a guest gets a
 * token and connects over a real WebSocket, and members see what guests post.
 */
describe('guests on the local runtime', () => {
  let parley: LocalParleyProcess;
  let owner: TestClient;
  let member: TestClient;
  let roomId: string;
  let otherRoomId: string;
  let issue: (roomId: string, name: string) => Promise<string>;
  const isMessage = (f: Frame) => f.type === 'message' && f['roomId'] === roomId;

  beforeAll(async () => {
    // Enough guest tokens per address for the suite, few enough for the last test to meet the limit.
    parley = await startLocalParley({ env: { PARLEY_FUNCTION_ENV: JSON.stringify({ GUEST_TOKENS_PER_IP_BURST: '10' }) } });
    issue = async (room, name) => {
      const answer = await askForToken(parley, room, name);
      expect(answer.status).toBe(201);
      return ((await answer.json()) as GuestTokenAnswer).token;
    };
    owner = await parley.connect('olga');
    member = await parley.connect('milo');
    ({ room: { roomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'open house', visibility: 'public' }));
    ({ room: { roomId: otherRoomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'back office', visibility: 'public' }));
    await member.ok('joinRoom', { roomId });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('issues no guest token for a room with guests off (403) or an unknown room (404)', async () => {
    const closed = await askForToken(parley, roomId, 'Ada');
    const unknown = await askForToken(parley, 'no-such-room', 'Ada');

    expect(closed.status).toBe(403);
    expect(await closed.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'This room does not let guests in.' } });
    expect(closed.headers.get('access-control-allow-origin')).toBe('*');
    expect(unknown.status).toBe(404);
  });

  it('lets a guest into a room that allows posting; members see the guest’s message marked as a guest’s', async () => {
    const updated = await owner.ok<{ room: { guestAccess: string } }>('updateRoom', { roomId, guestAccess: 'post' });
    expect(updated.room.guestAccess).toBe('post');
    await owner.ok('sendMessage', { roomId, text: 'welcome, visitors', clientMessageId: 'w1' });

    const answer = await askForToken(parley, roomId, 'Ada');
    expect(answer.status).toBe(201);
    const granted = (await answer.json()) as GuestTokenAnswer;
    expect(granted).toMatchObject({ canPost: true, room: { id: roomId, name: 'open house' } });
    // The stage's URL (locally the runtime's WebSocket with the stage's path), where the widget connects.
    expect(granted.wsUrl.startsWith(parley.wsUrl)).toBe(true);
    const guest = await TestClient.open(`${granted.wsUrl}?token=${encodeURIComponent(granted.token)}`);
    const history = await guest.ok<{ items: Array<{ text: string }> }>('getHistory', { roomId });
    expect(history.items.map((m) => m.text)).toContain('welcome, visitors');
    await guest.ok('sendMessage', { roomId, text: 'hello from the widget', clientMessageId: 'g1' });

    const seen = await member.waitFor((f) => isMessage(f) && (f['message'] as { text: string }).text === 'hello from the widget');
    expect(seen['message']).toMatchObject({ senderName: 'Ada (guest)', senderId: expect.stringMatching(/^guest-/) });
    await guest.close();
  });

  it('refuses the next guest message once the owner makes guests read-only', async () => {
    const guest = await parley.connect({ query: `token=${await issue(roomId, 'Bea')}` });
    await guest.ok('sendMessage', { roomId, text: 'first', clientMessageId: 'b1' });

    await owner.ok('updateRoom', { roomId, guestAccess: 'read' });
    const refused = await guest.request('sendMessage', { roomId, text: 'second', clientMessageId: 'b2' });

    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'Guests can read this room but not post in it.' });
    // Still a reader: the history answers.
    await guest.ok('getHistory', { roomId });
    await owner.ok('updateRoom', { roomId, guestAccess: 'post' });
  });

  it('keeps a guest of room A out of room B and out of everything guests do not have', async () => {
    await owner.ok('updateRoom', { roomId: otherRoomId, guestAccess: 'post' });
    const guest = await parley.connect({ query: `token=${await issue(roomId, 'Cy')}` });

    const elsewhere = await guest.request('getHistory', { roomId: otherRoomId });
    const posting = await guest.request('sendMessage', { roomId: otherRoomId, text: 'hi', clientMessageId: 'c1' });
    const creating = await guest.request('createRoom', { name: 'mine' });
    const joining = await guest.request('joinRoom', { roomId: otherRoomId });

    for (const frame of [elsewhere, posting, creating, joining]) expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });

  it('refuses a guest connection once the room lets no guests in', async () => {
    const token = await issue(otherRoomId, 'Dee');
    await owner.ok('updateRoom', { roomId: otherRoomId, guestAccess: 'off' });

    await expect(parley.connect({ query: `token=${token}` })).rejects.toBeInstanceOf(ConnectionRefusedError);
  });

  it('answers 429 with Retry-After once an address asks for too many tokens', async () => {
    let answer = await askForToken(parley, roomId, 'Flood');
    for (let i = 0; i < 30 && answer.status === 201; i += 1) answer = await askForToken(parley, roomId, 'Flood');

    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await answer.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('lists the guest as a member with the guest role', async () => {
    const page = await owner.ok<{ members: Array<{ displayName: string; role: string }> }>('listMembers', { roomId });

    expect(page.members).toEqual(expect.arrayContaining([expect.objectContaining({ displayName: 'Ada (guest)', role: 'guest' })]));
  });
});

interface GuestTokenAnswer {
  readonly token: string;
  readonly expiresAt: string;
  readonly wsUrl: string;
  readonly canPost: boolean;
  readonly room: { readonly id: string; readonly name: string };
}

/** Asks the local HTTP API for a guest token, as the widget does from another origin. */
const askForToken = (parley: LocalParleyProcess, roomId: string, displayName: string) =>
  fetch(`${parley.apiUrl}/v1/rooms/${encodeURIComponent(roomId)}/guest-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://blog.example.test' },
    body: JSON.stringify({ displayName }),
  });
