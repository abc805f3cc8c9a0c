import { describe, expect, it } from 'vitest';
import { ChatClient, type Transport } from '../../../web/src/client';
import { RequestError } from '../../../web/src/connection';
import type { ListedRoom, ServerFrame } from '../../../web/src/protocol';
import { RoomAdmin, settingsChange } from '../../../web/src/room-admin';
import { initialState, reduce, type AppEvent, type AppState } from '../../../web/src/state';

const me = { userId: 'u-alice', displayName: 'Alice' };
const lobby: ListedRoom = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-bob', createdAt: '', role: 'member' };
const run = (state: AppState, ...events: AppEvent[]) => events.reduce(reduce, state);
const frame = (f: ServerFrame): AppEvent => ({ type: 'frame', frame: f });
const joined = () =>
  run(
    initialState(me),
    { type: 'roomsListed', rooms: [lobby] },
    { type: 'roomOpened', roomId: 'r1' },
    { type: 'membersListed', roomId: 'r1', members: [] },
    { type: 'summaryLoaded', roomId: 'r1', summary: null },
  );

/** Answers each action from `answers` (a value, or an error to throw) and records what was asked. */
function scripted(answers: Record<string, unknown>) {
  const asked: Array<{ action: string; payload?: Record<string, unknown> }> = [];
  const transport: Transport = {
    async request<T>(action: string, payload?: Record<string, unknown>): Promise<T> {
      asked.push({ action, ...(payload ? { payload } : {}) });
      const answer = answers[action];
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
  return { transport, asked };
}

describe('room links', () => {
  it('shows a preview of a public room, and asks for nothing else', async () => {
    const room = { roomId: 'r9', name: 'Open house', visibility: 'public', ownerId: 'u-bob', createdAt: '', topic: 'Come in' };
    const { transport, asked } = scripted({ getRoom: { status: 'preview', room, memberCount: 3, messages: [] } });
    const client = new ChatClient({ me, transport });

    await client.openRoom('r9');

    expect(asked.map((a) => a.action)).toEqual(['getRoom']);
    expect(client.state.roomAccess.get('r9')).toEqual({ status: 'preview', room, memberCount: 3, messages: [], banned: false });
    expect(client.state.rooms.get('r9')?.name).toBe('Open house');
    expect(client.state.notices).toEqual([]);
  });

  it('says once that a room cannot be shown, with no error banners', async () => {
    const { transport, asked } = scripted({ getRoom: new RequestError('NOT_FOUND', 'Room "r9" not found.') });
    const client = new ChatClient({ me, transport });

    await client.openRoom('r9');

    expect(asked.map((a) => a.action)).toEqual(['getRoom']);
    expect(client.state.roomAccess.get('r9')).toEqual({ status: 'unavailable' });
    expect(client.state.notices).toEqual([]);
  });

  it('tells a deleted room from one never seen', async () => {
    const { transport } = scripted({ getRoom: { status: 'deleted', roomId: 'r9' } });
    const client = new ChatClient({ me, transport });

    await client.openRoom('r9');

    expect(client.state.roomAccess.get('r9')).toEqual({ status: 'deleted' });
  });

  it('loads a room the person belongs to as before, once getRoom says so', async () => {
    const { transport, asked } = scripted({
      getRoom: { status: 'member', room: lobby, membership: { roomId: 'r1', userId: 'u-alice', displayName: 'Alice', role: 'member', joinedAt: '' } },
      listMembers: { members: [] },
      listAgents: { agents: [] },
      getHistory: { roomId: 'r1', items: [] },
    });
    const client = new ChatClient({ me, transport });

    await client.openRoom('r1');

    expect(asked.map((a) => a.action).sort()).toEqual(['getHistory', 'getRoom', 'listAgents', 'listMembers']);
    expect(client.state.rooms.get('r1')?.role).toBe('member');
    expect(client.state.roomAccess.has('r1')).toBe(false);
  });
});

describe('room list frames', () => {
  it('renames a listed room on roomUpdated', () => {
    const state = run(joined(), frame({ type: 'roomUpdated', room: { ...lobby, name: 'Atrium', topic: 'All welcome' } }));

    expect(state.rooms.get('r1')).toMatchObject({ name: 'Atrium', topic: 'All welcome', role: 'member' });
  });

  it('clears the side panel and says why, once, when banned', () => {
    const state = run(
      joined(),
      frame({ type: 'roomRemoved', roomId: 'r1', reason: 'banned' }),
      frame({ type: 'roomRemoved', roomId: 'r1', reason: 'banned' }),
    );

    expect(state.members.has('r1')).toBe(false);
    expect(state.summaries.has('r1')).toBe(false);
    expect(state.rooms.has('r1')).toBe(false);
    expect(state.activeRoomId).toBe('r1');
    expect(state.roomAccess.get('r1')).toEqual({ status: 'banned' });
    expect(state.notices.map((n) => n.text)).toEqual(['You were banned from Lobby.']);
  });

  it('keeps a public room one was removed from, to rejoin, with one notice', () => {
    const state = run(
      joined(),
      frame({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberRemoved', userId: 'u-alice', by: 'u-bob' } }),
      frame({ type: 'roomRemoved', roomId: 'r1', reason: 'removed' }),
    );

    expect(state.rooms.get('r1')?.role).toBeUndefined();
    expect(state.roomAccess.has('r1')).toBe(false);
    expect(state.notices.map((n) => n.text)).toEqual(['You were removed from Lobby.']);
  });

  it('shows a deleted room as deleted', () => {
    const state = run(joined(), frame({ type: 'roomRemoved', roomId: 'r1', reason: 'deleted' }));

    expect(state.roomAccess.get('r1')).toEqual({ status: 'deleted' });
    expect(state.notices.at(-1)?.text).toBe('Lobby was deleted.');
  });
});

describe('RoomAdmin', () => {
  it('searches the directory a page at a time', async () => {
    const { transport, asked } = scripted({ searchRooms: { rooms: [lobby], nextCursor: 'lobby#r1' } });
    const admin = new RoomAdmin(new ChatClient({ me, transport }), transport);

    const page = await admin.search('lob', 'l#0');

    expect(page?.nextCursor).toBe('lobby#r1');
    expect(asked).toEqual([{ action: 'searchRooms', payload: { query: 'lob', cursor: 'l#0' } }]);
  });

  it('applies a saved rename at once and reports a refusal as a notice', async () => {
    const { transport } = scripted({
      updateRoom: { room: { ...lobby, name: 'Atrium' }, changed: ['name'] },
      deleteRoom: new RequestError('FORBIDDEN', 'Only the room owner can delete the room.'),
    });
    const client = new ChatClient({ me, transport });
    client.dispatch({ type: 'roomsListed', rooms: [lobby] });
    const admin = new RoomAdmin(client, transport);

    expect(await admin.update('r1', { name: 'Atrium' })).toBe(true);
    expect(await admin.remove('r1', 'Atrium')).toBe(false);

    expect(client.state.rooms.get('r1')?.name).toBe('Atrium');
    expect(client.state.notices.at(-1)?.text).toBe('Could not delete the room: Only the room owner can delete the room.');
  });
});

describe('settingsChange', () => {
  const form = { name: 'Lobby', topic: '', visibility: 'public' as const, preview: true, shareMessageTextInEvents: false };

  it('sends only what the form changed, trimmed', () => {
    expect(settingsChange(lobby, form)).toEqual({});
    expect(settingsChange(lobby, { ...form, name: ' Atrium ', preview: false })).toEqual({ name: 'Atrium', preview: false });
  });

  it('opts the room in to sharing message text in events, counting absent as off', () => {
    expect(settingsChange(lobby, { ...form, shareMessageTextInEvents: true })).toEqual({ shareMessageTextInEvents: true });
    expect(settingsChange({ ...lobby, shareMessageTextInEvents: true }, form)).toEqual({ shareMessageTextInEvents: false });
  });

  it('ignores an emptied name and clears an emptied topic', () => {
    expect(settingsChange({ ...lobby, topic: 'Old' }, { ...form, name: '  ', topic: ' ' })).toEqual({ topic: '' });
  });
});
