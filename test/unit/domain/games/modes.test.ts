import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../lambdas/domain/errors';
import { assertRoomMode, modeNoticeOf, modeNoticesOf, ROOM_MODE_NOTICES, roomModeOf } from '../../../../lambdas/domain/games/modes';

describe('room modes', () => {
  it('reads a room with no mode as a chat room', () => {
    expect(roomModeOf({})).toBe('chat');
    expect(roomModeOf({ mode: 'imposter' })).toBe('imposter');
  });

  it('gives a game room its notice and a chat room none', () => {
    expect(modeNoticeOf({ mode: 'imposter' })).toBe(ROOM_MODE_NOTICES.imposter);
    expect(modeNoticeOf({ mode: 'dialogue' })).toBe(ROOM_MODE_NOTICES.dialogue);
    expect(modeNoticeOf({ mode: 'chat' })).toBeUndefined();
    expect(modeNoticeOf({})).toBeUndefined();
  });

  it('collects each game mode’s notice once over a page of rooms', () => {
    expect(modeNoticesOf([{ mode: 'imposter' }, {}, { mode: 'imposter' }, { mode: 'dialogue' }])).toEqual({
      imposter: ROOM_MODE_NOTICES.imposter,
      dialogue: ROOM_MODE_NOTICES.dialogue,
    });
    expect(modeNoticesOf([{}, { mode: 'chat' }])).toEqual({});
  });

  it('says in the imposter notice that a hidden AI plays', () => {
    expect(ROOM_MODE_NOTICES.imposter).toMatch(/hidden AI/);
  });

  it('refuses an action meant for another mode', () => {
    expect(() => assertRoomMode({ name: 'Lobby' }, 'imposter')).toThrow(ConflictError);
    expect(() => assertRoomMode({ name: 'Game', mode: 'imposter' }, 'imposter')).not.toThrow();
  });

  it('is documented word for word in the protocol, where clients without Parley’s code read it', () => {
    const protocol = readFileSync(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8');

    expect(protocol).toContain(`| \`imposter\` | ${ROOM_MODE_NOTICES.imposter} |`);
    expect(protocol).toContain(`| \`dialogue\` | ${ROOM_MODE_NOTICES.dialogue} |`);
  });
});
