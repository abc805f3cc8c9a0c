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

/** Refuses an action meant for another mode (a vote in a chat room, a dialogue in a game room). */
export function assertRoomMode(room: Pick<Room, 'mode' | 'name'>, mode: RoomMode): void {
  const actual = roomModeOf(room);
  if (actual !== mode) {
    throw new ConflictError(`This is a ${actual} room; that needs a room made in ${mode} mode.`);
  }
}
