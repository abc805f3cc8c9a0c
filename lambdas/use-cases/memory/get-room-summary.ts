import type { RoomRepository } from '../../domain/ports';
import type { MemoryStore } from '../../domain/memory/ports';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';

export interface GetRoomSummaryDeps {
  readonly rooms: RoomRepository;
  readonly memory: Pick<MemoryStore, 'latestSummary'>;
}

export interface RoomSummaryView {
  readonly text: string;
  /** The first and last message the summary covers. */
  readonly fromMessageId: string;
  readonly toMessageId: string;
  readonly createdAt: string;
}

/**
 * The room's latest rolling summary, for any member of the room (guests
 * included: they may read the whole history anyway). `summary` is null until
 * the room has remembered its first `summaryEvery` messages.
 */
export async function getRoomSummary(
  deps: GetRoomSummaryDeps,
  identity: Identity,
  request: { readonly roomId: string },
): Promise<{ roomId: string; summary: RoomSummaryView | null }> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  const latest = await deps.memory.latestSummary(request.roomId);
  return {
    roomId: request.roomId,
    summary: latest
      ? { text: latest.text, fromMessageId: latest.fromMessageId, toMessageId: latest.toMessageId, createdAt: latest.createdAt }
      : null,
  };
}
