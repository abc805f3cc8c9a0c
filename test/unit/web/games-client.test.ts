import { describe, expect, it } from 'vitest';
import { ChatClient, type Transport } from '../../../web/src/client';
import { RequestError } from '../../../web/src/connection';
import { DialogueClient, ImposterClient, isGameFrame } from '../../../web/src/games/games-client';
import { gameModeTag, invitationModeOf, modeNotice, modeOf } from '../../../web/src/room-modes';
import { ROOM_MODE_NOTICES } from '../../../lambdas/domain/games/modes';
import type { ServerFrame } from '../../../web/src/protocol';

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

const roundId = '01JZ3KA0R7N5M3K1H9G7F5D3B1';

describe('ImposterClient', () => {
  it('sends a line with a fresh client line id and a vote with its seat', async () => {
    const { transport, asked } = scripted({ sendRoundLine: {}, castVote: { votes: 1, players: 3 } });
    const client = new ImposterClient(transport, () => 'l-1');

    expect(await client.sendLine('r1', roundId, 'hi all')).toEqual({ ok: true, value: undefined });
    expect(await client.castVote('r1', roundId, 3)).toEqual({ ok: true, value: undefined });
    expect(asked).toEqual([
      { action: 'sendRoundLine', payload: { roomId: 'r1', roundId, clientLineId: 'l-1', text: 'hi all' } },
      { action: 'castVote', payload: { roomId: 'r1', roundId, seat: 3 } },
    ]);
  });

  it('hands Parley’s refusal back in its own words', async () => {
    const { transport } = scripted({ castVote: new RequestError('CONFLICT', 'You have already voted in this round.') });

    expect(await new ImposterClient(transport).castVote('r1', roundId, 2)).toEqual({ ok: false, error: 'You have already voted in this round.' });
  });

  it('asks for the top ten of the chosen leaderboard', async () => {
    const board = { scope: 'overall', entries: [], you: undefined };
    const { transport, asked } = scripted({ getLeaderboard: board });

    expect(await new ImposterClient(transport).leaderboard('r1', 'overall')).toEqual({ ok: true, value: board });
    expect(asked[0]?.payload).toEqual({ roomId: 'r1', scope: 'overall', limit: 10 });
  });
});

describe('DialogueClient', () => {
  it('takes a turn with an option, a free line, or both, and a fresh client turn id', async () => {
    const { transport, asked } = scripted({ takeDialogueTurn: { turn: 1 } });
    const client = new DialogueClient(transport, () => 't-1');

    expect(await client.takeTurn('r1', roundId, { optionId: 'o2' })).toEqual({ ok: true, value: 1 });
    await client.takeTurn('r1', roundId, { text: 'Fine.' });
    expect(asked.map((a) => a.payload)).toEqual([
      { roomId: 'r1', dialogueId: roundId, clientTurnId: 't-1', optionId: 'o2' },
      { roomId: 'r1', dialogueId: roundId, clientTurnId: 't-1', text: 'Fine.' },
    ]);
  });

  it('lists scenarios and uploads one as given', async () => {
    const { transport, asked } = scripted({ listScenarios: { scenarios: [{ id: 'rent-talk' }] }, uploadScenario: {} });
    const client = new DialogueClient(transport);

    expect(await client.scenarios('r1')).toEqual({ ok: true, value: [{ id: 'rent-talk' }] });
    expect(await client.upload('r1', { id: 'mine' })).toEqual({ ok: true, value: undefined });
    expect(asked[1]).toEqual({ action: 'uploadScenario', payload: { roomId: 'r1', scenario: { id: 'mine' } } });
  });
});

describe('room modes in the client', () => {
  it('reads a room without a mode as chat, and tags only game rooms', () => {
    expect(modeOf({})).toBe('chat');
    expect(modeOf(undefined)).toBe('chat');
    expect(gameModeTag({})).toBeUndefined();
    expect(gameModeTag({ mode: 'imposter' })).toBe('Imposter game');
  });

  it('tells, before joining, Parley’s own notice: an imposter room says a hidden AI plays', () => {
    expect(modeNotice('imposter')).toBe(ROOM_MODE_NOTICES.imposter);
    expect(modeNotice('imposter')).toMatch(/hidden AI/);
  });

  it('passes the game frames to the panels and nothing else', () => {
    expect(isGameFrame({ type: 'roundVote', roomId: 'r1', roundId, votes: 1, players: 3 } as ServerFrame)).toBe(true);
    expect(isGameFrame({ type: 'dialogueResolved' } as ServerFrame)).toBe(true);
    expect(isGameFrame({ type: 'typing' } as ServerFrame)).toBe(false);
  });
});

describe('creating a room with a mode', () => {
  const room = (mode?: 'imposter') => ({
    room: { roomId: 'r9', name: 'Game night', visibility: 'public', ownerId: 'u-ann', createdAt: '2026-12-07T10:00:00.000Z', ...(mode ? { mode } : {}) },
    membership: { roomId: 'r9', userId: 'u-ann', displayName: 'ann', role: 'owner', joinedAt: '2026-12-07T10:00:00.000Z' },
  });

  it('asks for the mode chosen, and lists the room with it', async () => {
    const { transport, asked } = scripted({ createRoom: room('imposter'), getRoom: { status: 'member', ...room('imposter') }, getHistory: { items: [] } });
    const client = new ChatClient({ me: { userId: 'u-ann', displayName: 'ann' }, transport });

    await client.createRoom('Game night', 'public', 'imposter');

    expect(asked[0]).toEqual({ action: 'createRoom', payload: { name: 'Game night', visibility: 'public', mode: 'imposter' } });
    expect(modeOf(client.state.rooms.get('r9'))).toBe('imposter');
  });

  it('asks for a chat room as before, without a mode', async () => {
    const { transport, asked } = scripted({ createRoom: room(), getRoom: { status: 'member', ...room() }, getHistory: { items: [] } });

    await new ChatClient({ me: { userId: 'u-ann', displayName: 'ann' }, transport }).createRoom('Game night', 'public');

    expect(asked[0]).toEqual({ action: 'createRoom', payload: { name: 'Game night', visibility: 'public' } });
  });
});

describe('a room with no game yet', () => {
  it('reads Parley’s NOT_FOUND as no round and no dialogue, and other refusals as errors', async () => {
    const { transport } = scripted({
      getRound: new RequestError('NOT_FOUND', 'This room has had no round yet.'),
      getDialogue: new RequestError('NOT_FOUND', 'No dialogue is going on in this room.'),
      listScenarios: new RequestError('CONFLICT', 'This is a chat room; that needs a room made in dialogue mode.'),
    });

    expect(await new ImposterClient(transport).getRound('r1')).toEqual({ ok: true, value: { round: null } });
    expect(await new DialogueClient(transport).getDialogue('r1')).toEqual({ ok: true, value: { dialogue: null } });
    expect(await new DialogueClient(transport).scenarios('r1')).toEqual({ ok: false, error: 'This is a chat room; that needs a room made in dialogue mode.' });
  });
});

describe('an invitation’s mode', () => {
  it('is the one Parley names, else chat', () => {
    expect(invitationModeOf({ roomName: 'Game night', roomMode: 'dialogue' })).toBe('dialogue');
    expect(invitationModeOf({ roomName: 'Garden' })).toBe('chat');
  });
});
