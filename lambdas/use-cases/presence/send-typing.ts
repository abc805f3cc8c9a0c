import type { DeliveryReport } from '../../domain/delivery';
import { RateLimitedError } from '../../domain/errors';
import { assertCanPost } from '../../domain/permissions';
import type { RateLimiter, RoomRepository } from '../../domain/ports';
import type { RequestOf } from '../../domain/protocol';
import { TYPING_EXPIRES_MS, typingKey } from '../../domain/presence/typing';
import type { Identity } from '../../domain/types';
import { requireMembership } from '../access';
import { deliverToRecipients } from '../delivery/deliver-to-recipients';
import type { DeliverDeps } from '../delivery/deliver-to-room';

export interface SendTypingDeps extends DeliverDeps {
  readonly rooms: RoomRepository;
  /** Typing notices' own limit, per person and room (TYPING_LIMIT). */
  readonly typingLimiter: RateLimiter;
}

/**
 * Tells the room's other members that the caller is typing: one `typing`
 * frame to each of their live connections, none to the caller's own. Not
 * stored. Checks come first: membership (one keyed read), the right to post
 * (a guest cannot type what they cannot send), then the typing limit.
 */
export async function sendTyping(
  deps: SendTypingDeps,
  identity: Identity,
  request: RequestOf<'typing'>,
): Promise<{ expiresInMs: number; delivery: DeliveryReport }> {
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanPost(membership);
  if (!(await deps.typingLimiter.tryAcquire(typingKey(request.roomId, identity.userId)))) {
    throw new RateLimitedError('Too many typing notices; send one every few seconds at most.');
  }
  const connections = await deps.connections.listRoomConnections(request.roomId);
  const delivery = await deliverToRecipients(
    deps,
    connections.filter((c) => c.userId !== identity.userId),
    {
      type: 'typing',
      roomId: request.roomId,
      userId: identity.userId,
      // The membership's name, as messages carry it: updateProfile changes it everywhere at once.
      displayName: membership.displayName,
      expiresInMs: TYPING_EXPIRES_MS,
    },
  );
  return { expiresInMs: TYPING_EXPIRES_MS, delivery };
}
