import { PayloadTooLargeError, RateLimitedError, ValidationError } from '../domain/errors';
import type { ModeratedMessage } from '../domain/moderation/message';
import { assertCanPost } from '../domain/permissions';
import type {
  Clock,
  ConnectionGateway,
  ConnectionRepository,
  MessageRepository,
  RateLimiter,
  RoomRepository,
} from '../domain/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity, Message } from '../domain/types';
import { requireMembership } from './access';
import type { DeliveryReport } from './deliver-to-room';
import { deliverChange } from './moderation/deliver-change';

export interface SendMessageDeps {
  readonly rooms: RoomRepository;
  readonly messages: MessageRepository;
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  readonly maxTextBytes: number;
}

export interface SendMessageResult {
  readonly message: Message;
  /** True when this was a retry of a message already stored. */
  readonly duplicate: boolean;
  readonly delivery?: DeliveryReport;
}

/**
 * Stores a member's message as `pending` and shows it to the sender's own
 * connections at once; the moderation consumer checks it and delivers the
 * result to the rest of the room (see moderateMessage), so nobody else ever
 * sees text that moderation would redact, quarantine or block.
 * Checks run before any write: size, membership, role, then the sender's rate
 * limit. A retry with the same clientMessageId is acknowledged with the
 * message stored first and is neither stored nor delivered again.
 */
export async function sendMessage(
  deps: SendMessageDeps,
  identity: Identity,
  request: RequestOf<'sendMessage'>,
): Promise<SendMessageResult> {
  const bytes = Buffer.byteLength(request.text, 'utf8');
  if (bytes > deps.maxTextBytes) {
    throw new PayloadTooLargeError(`The text is ${bytes} bytes; the limit is ${deps.maxTextBytes}.`);
  }
  if (request.text.trim().length === 0) {
    throw new ValidationError('The text is empty.');
  }
  const membership = await requireMembership(deps.rooms, request.roomId, identity.userId);
  assertCanPost(membership);
  if (!(await deps.rateLimiter.tryAcquire(identity.userId))) throw new RateLimitedError();

  const now = deps.clock.now();
  const message: ModeratedMessage & { clientMessageId: string } = {
    roomId: request.roomId,
    messageId: deps.nextId(now),
    senderId: identity.userId,
    senderName: identity.displayName,
    senderType: 'human',
    text: request.text,
    clientMessageId: request.clientMessageId,
    createdAt: new Date(now).toISOString(),
    moderation: 'pending',
  };
  const saved = await deps.messages.saveMessage(message);
  if (!saved.stored) return { message: saved.existing, duplicate: true };

  const delivery = await deliverChange(deps, undefined, message, message.roomId, message.messageId);
  return { message, duplicate: false, delivery };
}
