import type { DeliveryReport } from '../domain/delivery';
import { PayloadTooLargeError, RateLimitedError, ValidationError } from '../domain/errors';
import type { FinalModerationState, Message, ModeratedMessage } from '../domain/message';
import type { OriginalTextStore } from '../domain/moderation/ports';
import { assertGuestMayPost } from '../domain/guests';
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
import { expiresAtOf } from '../domain/retention/policy';
import type { RetentionCache } from '../domain/retention/ports';
import type { SendContext, SendContextReader } from '../domain/send-context';
import { isBlank } from '../domain/text';
import type { Identity } from '../domain/types';
import { refuseNonMember, requireLiveRoom } from './access';
import { mentionsFor } from './resolve-mentions';
import { deliverMessage, type FanOutDeps } from './delivery/deliver-message';
import { checkMessage, type CheckMessageDeps } from './moderation/check-message';

export interface SendMessageDeps extends CheckMessageDeps {
  /** The sender's membership and the room's moderation settings, read together before anything is written. */
  readonly context: SendContextReader;
  readonly rooms: RoomRepository;
  readonly messages: MessageRepository;
  /** Rooms' retention policies: each message is stored with the expiry its room's policy gives it. */
  readonly retention: RetentionCache;
  readonly connections: ConnectionRepository;
  readonly gateway: ConnectionGateway;
  /** Where a redacted message's original is kept for moderators, when its room keeps originals. */
  readonly originals: OriginalTextStore;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly nextId: (nowMs: number) => string;
  readonly maxTextBytes: number;
  /** Sharded fan-out for rooms above its threshold; without it every message is posted by sendMessage. */
  readonly fanOut?: FanOutDeps;
}

export interface SendMessageResult {
  readonly message: Message;
  /** True when this was a retry of a message already stored. */
  readonly duplicate: boolean;
  /** Moderation's decision on a newly stored message (none on a retry: it was counted the first time). */
  readonly decision?: FinalModerationState;
  readonly delivery?: DeliveryReport;
  /** Set instead of `delivery` when the message went to the fan-out workers (a large room). */
  readonly sharded?: { readonly recipients: number; readonly jobs: number };
}

/**
 * Moderates a member's message and stores it in its final state (allowed,
 * redacted, quarantined or blocked), then delivers it to each connection of
 * the room as its user may see it: a redacted message reaches everyone with
 * its redacted text only, a quarantined or blocked one only its sender and
 * the room's moderators. In a room above the fan-out threshold, a public
 * message is handed to the fan-out workers in shards instead of posted here
 * (deliverMessage). The checks are the moderation consumer's (see
 * checkMessage); the consumer only records the audit entry afterwards.
 * A redacted original is kept for moderators, when the room allows, after the
 * message is stored, so an original never exists without its message.
 *
 * The message is stamped `agents` when its room has agents (read with the
 * moderation settings, no extra request), which is what lets it reach the
 * agents' dispatcher.
 *
 * A guest (role `guest`) posts only while the room's guestAccess is `post`,
 * read from the room on each of their messages (guests.ts).
 *
 * Checks run before any write: size, membership, role, then the sender's rate
 * limit. The membership and the room's moderation settings (with its agents
 * flag) are read together, consistently, in one request (SendContextReader),
 * so a message costs one read there, not two; the room's retention policy
 * joins that request when the instance does not hold it (RetentionCache). A retry with the same
 * clientMessageId is acknowledged with the message stored first and is
 * neither stored nor delivered again.
 */
export async function sendMessage(
  deps: SendMessageDeps,
  identity: Identity,
  request: RequestOf<'sendMessage'>,
): Promise<SendMessageResult> {
  assertSendableText(deps, request.text);
  // The membership and the room's moderation settings in one consistent read, with
  // the room's retention policy when this instance does not hold it.
  const heldRetention = deps.retention.held(request.roomId);
  const context = await deps.context.read(request.roomId, identity.userId, { withRetention: heldRetention === undefined });
  const membership = context.membership ?? (await refuseNonMember(deps.rooms, request.roomId));
  // A guest posts only while the room lets guests post: read on every message, so an
  // owner's switch to read-only takes effect at once. Members pay no extra read.
  if (membership.role === 'guest') assertGuestMayPost(await requireLiveRoom(deps.rooms, request.roomId));
  else assertCanPost(membership);
  if (!(await deps.rateLimiter.tryAcquire(identity.userId))) throw new RateLimitedError();
  // The membership's name, not the token's: updateProfile changes it for every open connection at once.
  const sender: MessageSender = { senderId: identity.userId, senderName: membership.displayName, senderType: 'human' };
  return storeAndDeliver(deps, sender, request, context, heldRetention);
}

/** An API key posting to its room: its id and name stand for the sender. */
export interface IntegrationSender {
  readonly keyId: string;
  readonly name: string;
}

/**
 * Posts a message from an API key (the HTTP API) to the key's room: the
 * same moderation, storage, delivery, agents and audit as a person's
 * message, with `senderType: 'integration'`, the key's id as sender id and
 * its name as sender name. There is no membership to check: the HTTP edge
 * has already checked that the key belongs to this room and holds the
 * `post` scope, and spent the key's own rate and quota, which replace the
 * member's role check and message rate. The room must still be live.
 * `clientMessageId` makes a retry idempotent, as for a person.
 */
export async function sendIntegrationMessage(
  deps: SendMessageDeps,
  key: IntegrationSender,
  request: RequestOf<'sendMessage'>,
): Promise<SendMessageResult> {
  assertSendableText(deps, request.text);
  await requireLiveRoom(deps.rooms, request.roomId);
  const heldRetention = deps.retention.held(request.roomId);
  const context = await deps.context.read(request.roomId, key.keyId, { withRetention: heldRetention === undefined });
  const sender: MessageSender = { senderId: key.keyId, senderName: key.name, senderType: 'integration' };
  return storeAndDeliver(deps, sender, request, context, heldRetention);
}

function assertSendableText(deps: Pick<SendMessageDeps, 'maxTextBytes'>, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > deps.maxTextBytes) {
    throw new PayloadTooLargeError(`The text is ${bytes} bytes; the limit is ${deps.maxTextBytes}.`);
  }
  if (isBlank(text)) {
    throw new ValidationError('The text is empty.');
  }
}

type MessageSender = Pick<Message, 'senderId' | 'senderName' | 'senderType'>;

/** Moderates, stores and delivers a message whose sender was admitted; see sendMessage. */
async function storeAndDeliver(
  deps: SendMessageDeps,
  sender: MessageSender,
  request: RequestOf<'sendMessage'>,
  context: SendContext,
  heldRetention: ReturnType<RetentionCache['held']>,
): Promise<SendMessageResult> {
  const { settings, verdict, redacted, roomHasAgents, agentHandles } = await checkMessage(
    deps,
    { roomId: request.roomId, senderType: sender.senderType, text: request.text },
    context.moderation,
  );
  // Resolved on the text members will read (a redaction may have removed a handle).
  const mentions = await mentionsFor(deps, request.roomId, verdict.text, agentHandles);
  const now = deps.clock.now();
  const createdAt = new Date(now).toISOString();
  const message: ModeratedMessage & { clientMessageId: string } = {
    roomId: request.roomId,
    messageId: deps.nextId(now),
    ...sender,
    text: verdict.text,
    clientMessageId: request.clientMessageId,
    createdAt,
    moderation: verdict.state,
    decision: verdict.state,
    reasons: verdict.reasons,
    moderatedAt: createdAt,
    ...(redacted ? { redacted: true } : {}),
    ...(mentions.length > 0 ? { mentions } : {}),
    // Read with the settings, so the agents' dispatcher is never invoked for rooms without agents.
    // An agent added while this message is in flight does not see it: the
    // message was sent before the agent joined (docs/agents.md).
    ...(roomHasAgents ? { agents: true as const } : {}),
  };
  const { days } =
    heldRetention ??
    (context.retention
      ? deps.retention.keep(message.roomId, context.retention.policy)
      : await deps.retention.retentionOf(message.roomId));
  const saved = await deps.messages.saveMessage(message, expiresAtOf(now, days));
  if (!saved.stored) return { message: saved.existing, duplicate: true };

  if (redacted && settings.keepOriginals) {
    await deps.originals.put({
      roomId: message.roomId,
      messageId: message.messageId,
      senderId: message.senderId,
      text: request.text,
      reasons: verdict.reasons,
      keptAt: createdAt,
    });
  }

  // A withheld message (quarantined, blocked) reaches its sender and the room's moderators only;
  // a large room's message goes to the fan-out workers (see deliverMessage).
  const delivery = await deliverMessage(deps, message);
  return delivery.kind === 'posted'
    ? { message, duplicate: false, decision: verdict.state, delivery: delivery.report }
    : { message, duplicate: false, decision: verdict.state, sharded: { recipients: delivery.recipients, jobs: delivery.jobs } };
}
