import * as z from 'zod/mini';
import { id, pageCursor, requestId, visibleString } from '../protocol-fields';
import type { Invitation, Membership, Room } from '../types';
import { FIND_USERS_QUERY_MAX } from './profile';

/**
 * People's part of the wire protocol: who am I, who is called so, and the
 * invitations addressed to the caller. docs/protocol.md, "People and
 * invitations", describes each with an example.
 */
const pageLimit = (max: number, fallback: number) => z._default(z.int().check(z.minimum(1), z.maximum(max)), fallback);

export const peopleRequestSchemas = {
  /** The caller's own profile: their user id (what others invite) and display name. */
  whoami: z.object({ requestId }),
  /** People whose name starts with `query` (folded: case and diacritics do not matter). */
  findUsers: z.object({
    requestId,
    query: visibleString(FIND_USERS_QUERY_MAX),
    cursor: pageCursor(1024),
    limit: pageLimit(50, 20),
  }),
  /** The caller's pending invitations. */
  listInvitations: z.object({ requestId, cursor: pageCursor(256), limit: pageLimit(100, 50) }),
  /** Joins the room the caller was invited to, with the role the invitation grants. */
  acceptInvitation: z.object({ requestId, roomId: id }),
  /** Turns an invitation down: it is removed, and nothing else changes. */
  declineInvitation: z.object({ requestId, roomId: id }),
  /** A room's pending invitations, for its owner and moderators (to see whom they invited and withdraw). */
  listRoomInvitations: z.object({ requestId, roomId: id, cursor: pageCursor(256), limit: pageLimit(100, 50) }),
  /** Withdraws an invitation (the room's owner, its moderators or whoever sent it). */
  revokeInvitation: z.object({ requestId, roomId: id, userId: id }),
} as const;

/** Frames about the caller as a person, sent to every live connection of theirs. */
export type PeopleFrame =
  /** Someone invited you to a room (or renewed an invitation). */
  | { type: 'invitation'; invitation: Invitation }
  /** An invitation to you was withdrawn by the room's owner, a moderator or its sender. */
  | { type: 'invitationRevoked'; roomId: string; by: string }
  /** You declined an invitation (from another of your tabs or devices). */
  | { type: 'invitationDeclined'; roomId: string }
  /** You are now a member of a room (joined, accepted an invitation, created it): list it and receive its messages. */
  | { type: 'roomAdded'; room: Room; membership: Membership };
