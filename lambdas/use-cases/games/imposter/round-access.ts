import { NotFoundError } from '../../../domain/errors';
import type { Round } from '../../../domain/games/imposter';
import { assertRoomMode } from '../../../domain/games/modes';
import type { Membership, Room } from '../../../domain/types';
import { requireLiveRoom, requireMembership } from '../../access';
import type { ImposterDeps } from './deps';

/**
 * The caller's membership of a live imposter room: a private room's
 * non-member hears NOT_FOUND, a chat or dialogue room CONFLICT.
 */
export async function requireImposterRoom(
  deps: Pick<ImposterDeps, 'rooms'>,
  roomId: string,
  userId: string,
): Promise<{ room: Room; membership: Membership }> {
  const membership = await requireMembership(deps.rooms, roomId, userId);
  const room = await requireLiveRoom(deps.rooms, roomId);
  assertRoomMode(room, 'imposter');
  return { room, membership };
}

/** A round of the room, or NOT_FOUND. */
export async function requireRound(deps: Pick<ImposterDeps, 'rounds'>, roomId: string, roundId: string): Promise<Round> {
  const round = await deps.rounds.getRound(roomId, roundId);
  if (!round) throw new NotFoundError(`Round "${roundId}" not found in this room.`);
  return round;
}
