import { RequestError } from './connection';
import type { ChatMessage, Membership, Room } from './protocol';

/**
 * What a room link can show besides the room itself: a preview of a public
 * room (with a Join button unless banned), or one clear state. A room the
 * person belongs to has no entry.
 */
export type RoomAccess =
  | {
      readonly status: 'preview';
      readonly room: Room;
      readonly memberCount: number;
      /** Recent public messages, oldest first; empty when the room shows none. */
      readonly messages: readonly ChatMessage[];
      readonly banned: boolean;
    }
  /** Banned while in the room or looking at it. */
  | { readonly status: 'banned' }
  | { readonly status: 'deleted' }
  /** Unknown, or private and not the person's: Parley does not say which. */
  | { readonly status: 'unavailable' };

/** What `getRoom` answers (docs/protocol.md, "Room administration"). */
type RoomView =
  | { readonly status: 'member'; readonly room: Room; readonly membership: Membership }
  | {
      readonly status: 'preview';
      readonly room: Room;
      readonly memberCount: number;
      readonly messages?: ChatMessage[];
      readonly banned?: boolean;
    }
  | { readonly status: 'deleted'; readonly roomId: string };

export type AccessCheck =
  | { readonly member: true; readonly room: Room; readonly membership: Membership }
  | { readonly member: false; readonly access: RoomAccess }
  /** This deployment has no getRoom: the client carries on as before. */
  | { readonly member: undefined };

/**
 * Asks Parley what the person may see of a room, once, before anything
 * else is loaded: so a link to a room they cannot read shows one clear
 * state instead of a failed request for its history, members and agents.
 */
export async function checkRoomAccess(
  transport: { request<T>(action: string, payload?: Record<string, unknown>): Promise<T> },
  roomId: string,
): Promise<AccessCheck> {
  let view: RoomView;
  try {
    view = await transport.request<RoomView>('getRoom', { roomId });
  } catch (error) {
    if (error instanceof RequestError && error.code === 'NOT_FOUND') return { member: false, access: { status: 'unavailable' } };
    if (error instanceof RequestError && error.code === 'UNKNOWN_ACTION') return { member: undefined };
    throw error;
  }
  switch (view.status) {
    case 'member':
      return { member: true, room: view.room, membership: view.membership };
    case 'preview':
      return {
        member: false,
        access: { status: 'preview', room: view.room, memberCount: view.memberCount, messages: view.messages ?? [], banned: view.banned === true },
      };
    default:
      return { member: false, access: { status: 'deleted' } };
  }
}
