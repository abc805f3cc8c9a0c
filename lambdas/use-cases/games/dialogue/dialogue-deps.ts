import type { AuditLog } from '../../../domain/audit';
import { PermissionError } from '../../../domain/errors';
import type { DialogueJobQueue, DialogueStore, ScenarioStore } from '../../../domain/games/dialogue-ports';
import { assertRoomMode } from '../../../domain/games/modes';
import { assertCanPost } from '../../../domain/permissions';
import type { Clock, RoomRepository } from '../../../domain/ports';
import type { Membership, Room } from '../../../domain/types';
import { requireLiveRoom, requireMembership } from '../../access';
import type { DeliverDeps } from '../../delivery/deliver-to-room';

/** What the dialogue actions share. */
export interface DialogueDeps extends DeliverDeps {
  readonly rooms: RoomRepository;
  readonly dialogues: DialogueStore;
  readonly scenarios: ScenarioStore;
  readonly jobs: DialogueJobQueue;
  /** Each step of a dialogue is recorded here (and published from here as a domain event). */
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
}

/**
 * The caller's membership of a live dialogue room, read before anything is
 * written: a non-member, a deleted room or a room of another mode is refused.
 */
export async function requireDialogueRoom(
  deps: Pick<DialogueDeps, 'rooms'>,
  roomId: string,
  userId: string,
): Promise<{ room: Room; membership: Membership }> {
  const membership = await requireMembership(deps.rooms, roomId, userId);
  const room = await requireLiveRoom(deps.rooms, roomId);
  assertRoomMode(room, 'dialogue');
  return { room, membership };
}

/** Taking part (starting, playing, ending) is for members and up: guests watch. */
export function assertCanPlay(membership: Membership): void {
  if (membership.role === 'guest') throw new PermissionError('Guests can watch a dialogue but not take part in it.');
  assertCanPost(membership);
}

export const isoAt = (clock: Clock): string => new Date(clock.now()).toISOString();
