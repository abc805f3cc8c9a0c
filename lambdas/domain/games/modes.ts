import { ConflictError } from '../errors';
import type { Room, RoomMode } from '../types';

/**
 * Room modes: what a room is for, fixed at creation. Everyone sees a room's
 * mode and its notice before joining (getRoom's preview, searchRooms, the
 * room list), so nobody enters a game with a hidden AI without being told.
 */

/** A room's mode; rooms made before modes existed are chat rooms. */
export const roomModeOf = (room: Pick<Room, 'mode'>): RoomMode => room.mode ?? 'chat';

/**
 * What each mode tells people before they join. The imposter notice is the
 * game's consent: an AI takes a seat among the players and writes like a
 * person until the round ends.
 */
export const ROOM_MODE_NOTICES: Readonly<Record<RoomMode, string>> = {
  chat: 'Open chat with people and the room’s agents.',
  imposter:
    'Imposter game: in each round one seat is played by a hidden AI that writes like a person. ' +
    'Everyone writes under a round name; vote for who you think is the AI. The AI is revealed when the round ends.',
  dialogue:
    'Guided dialogue: AI characters answer your turns, their moods and opinions change as you talk, ' +
    'and the dialogue ends with an outcome and a summary.',
};

/** The notice a room shows before anyone joins, or undefined for a chat room (which needs none). */
export function modeNoticeOf(room: Pick<Room, 'mode'>): string | undefined {
  const mode = roomModeOf(room);
  return mode === 'chat' ? undefined : ROOM_MODE_NOTICES[mode];
}

/**
 * The notices of the game modes among `rooms`, once per mode: a page of
 * search results carries each notice once rather than once per room.
 */
export function modeNoticesOf(rooms: readonly Pick<Room, 'mode'>[]): Partial<Record<RoomMode, string>> {
  const notices: Partial<Record<RoomMode, string>> = {};
  for (const room of rooms) {
    const notice = modeNoticeOf(room);
    if (notice !== undefined) notices[roomModeOf(room)] = notice;
  }
  return notices;
}

/** Refuses an action meant for another mode (a vote in a chat room, a dialogue in a game room). */
export function assertRoomMode(room: Pick<Room, 'mode' | 'name'>, mode: RoomMode): void {
  const actual = roomModeOf(room);
  if (actual !== mode) {
    throw new ConflictError(`This is a ${actual} room; that needs a room made in ${mode} mode.`);
  }
}
