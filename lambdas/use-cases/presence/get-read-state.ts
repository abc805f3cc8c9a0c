import type { RequestOf } from '../../domain/protocol';
import type { ReadStateRepository } from '../../domain/presence/ports';
import type { ReadState } from '../../domain/presence/read-state';
import type { Identity } from '../../domain/types';

/**
 * The caller's last-read message in each of the given rooms (up to 100, one
 * batched read), so a new tab starts with the right unread counts. Rooms
 * without a mark are left out. Only the caller's own marks are read, so no
 * membership check is needed: nothing of a room leaks through it.
 */
export async function getReadState(
  deps: { readonly readStates: ReadStateRepository },
  identity: Identity,
  request: RequestOf<'getReadState'>,
): Promise<{ readStates: ReadState[] }> {
  const readStates = await deps.readStates.readStates(identity.userId, request.roomIds);
  return { readStates };
}
