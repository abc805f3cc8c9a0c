import type { RoomRepository } from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Membership } from '../domain/types';
import { requireMembership } from './access';

/** The members of a room the caller belongs to, with their roles. */
export async function listMembers(
  deps: { readonly rooms: RoomRepository },
  identity: Identity,
  request: RequestOf<'listMembers'>,
): Promise<{ members: Membership[] }> {
  await requireMembership(deps.rooms, request.roomId, identity.userId);
  return { members: await deps.rooms.listMembers(request.roomId) };
}
