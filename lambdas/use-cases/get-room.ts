import { NotFoundError } from '../domain/errors';
import { modeNoticeOf } from '../domain/games/modes';
import { fitToBudget } from '../domain/frame-budget';
import { isPublic, type ModeratedMessage } from '../domain/message';
import type { MessageRepository, RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import { PREVIEW_MESSAGES, showsPreview } from '../domain/room-settings';
import type { Identity, Membership, Room } from '../domain/types';

export interface GetRoomDeps {
  readonly rooms: RoomRepository;
  readonly messages: MessageRepository;
}

/**
 * What a game room tells people before they join (games/modes.ts); absent for
 * a chat room. It travels with the room so a client shows it with no second
 * request.
 */
interface ModeNotice {
  readonly modeNotice?: string;
}

/** What a room link shows: the room, a preview, or that it was deleted. */
export type RoomView =
  | ({ readonly status: 'member'; readonly room: Room; readonly membership: Membership } & ModeNotice)
  | ({
      readonly status: 'preview';
      readonly room: Room;
      readonly memberCount: number;
      /** Recent public messages, oldest first; absent when the room does not show previews. */
      readonly messages?: ModeratedMessage[];
      /** The caller is banned: they may look but not join. */
      readonly banned?: true;
    } & ModeNotice)
  | { readonly status: 'deleted'; readonly roomId: string };

/** What a preview's messages may take of the answer, leaving room for the rest. */
const PREVIEW_BUDGET_BYTES = 64 * 1024;

/**
 * One room as its link shows it. A member gets the room and their
 * membership. Anyone else gets a preview of a public room: its settings,
 * member count and, unless the owner turned previews off, its recent public
 * messages (never pending, quarantined, blocked or hidden ones). A private
 * room is NOT_FOUND to a non-member, exactly like an unknown id. A deleted
 * room answers `deleted`, to anyone, for good. A game room's answer carries
 * its mode's notice (`modeNotice`), the consent shown before joining.
 */
export async function getRoom(
  deps: GetRoomDeps,
  identity: Identity,
  request: RequestOf<'getRoom'>,
): Promise<RoomView> {
  const [room, membership] = await Promise.all([
    deps.rooms.getRoom(request.roomId),
    deps.rooms.getMembership(request.roomId, identity.userId),
  ]);
  if (room?.deletedAt !== undefined) return { status: 'deleted', roomId: request.roomId };
  if (!room) throw new NotFoundError(`Room "${request.roomId}" not found.`);
  const modeNotice = modeNoticeOf(room);
  const notice = modeNotice !== undefined ? { modeNotice } : {};
  if (membership) return { status: 'member', room, membership, ...notice };
  if (room.visibility === 'private') throw new NotFoundError(`Room "${request.roomId}" not found.`);

  const [memberCount, ban, messages] = await Promise.all([
    deps.rooms.countMembers(request.roomId),
    deps.rooms.getBan(request.roomId, identity.userId),
    showsPreview(room) ? recentPublicMessages(deps.messages, request.roomId) : Promise.resolve(undefined),
  ]);
  return {
    status: 'preview',
    room,
    memberCount,
    ...notice,
    ...(messages !== undefined && !ban ? { messages } : {}),
    ...(ban ? { banned: true as const } : {}),
  };
}

async function recentPublicMessages(messages: MessageRepository, roomId: string): Promise<ModeratedMessage[]> {
  const page = await messages.getHistory(roomId, { limit: PREVIEW_MESSAGES, direction: 'backward' });
  // Newest first, so a cut keeps the most recent ones.
  const newestFirst = page.items.filter(isPublic).reverse();
  return fitToBudget(newestFirst, JSON.stringify, PREVIEW_BUDGET_BYTES).items.reverse();
}
