import type { Room } from '../types';

/** The rooms a batch of events needs (whether a room shares message text, a new room's name). */
export interface EventRooms {
  /** The rooms of `roomIds` that exist (deleted ones included, with `deletedAt`), by id; one read per call. */
  roomsById(roomIds: readonly string[]): Promise<ReadonlyMap<string, Room>>;
}
