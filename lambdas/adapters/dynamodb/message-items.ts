import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AgentReplyMeta } from '../../domain/agents/reply';
import { ParleyError } from '../../domain/errors';
import {
  FINAL_MODERATION_STATES,
  MODERATION_STATES,
  SENDER_TYPES,
  type FinalModerationState,
  type MessageChange,
  type Mention,
  type ModeratedMessage,
  type ReadableState,
} from '../../domain/message';
import type { Decision } from '../../domain/moderation/ports';
import type { MessageEdit } from '../../domain/ports';
import { isTransactionConditionFailure } from './errors';
import { epochSeconds, oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';
import { ENTITY } from './schema';
import type { Citation } from '../../domain/knowledge/citations';

/**
 * The message item of the messages table, in one place: its keys, its
 * mapping to and from the domain's message, the one write that stores a new
 * message (a person's or an agent's) with its idempotency marker, the
 * updates moderation makes, and the reading of the table's stream records.
 * The repositories of each feature go through here; none writes a key or an
 * attribute name of its own.
 *
 *   <roomId>  MSG#<messageId>                      the message (entity "message")
 *   <roomId>  DEDUP#<senderId>#<clientMessageId>   its idempotency marker (entity "dedupe")
 */

/**
 * The sparse attribute saying the message's room had agents when it was
 * stored (`Message.agents`); the agents' stream filter is built on it.
 */
export const ROOM_HAS_AGENTS_ATTRIBUTE = 'agents';

/** The attribute editMessage sets (`Message.editedAt`); room memory's stream filter passes edits by it. */
export const EDITED_AT_ATTRIBUTE = 'editedAt';

/** Every message's sort key begins with it: a Query `begins_with` it, or ranges from it. */
export const MESSAGE_SK_PREFIX = 'MSG#';
const DEDUPE_SK_PREFIX = 'DEDUP#';

export const messageSk = (messageId: string): string => `${MESSAGE_SK_PREFIX}${messageId}`;

export const messageKey = (roomId: string, messageId: string) => ({ roomId, sk: messageSk(messageId) });

/** The message id a sort key names; undefined when the key is not a message's. */
export const messageIdOfSk = (sk: unknown): string | undefined =>
  typeof sk === 'string' && sk.startsWith(MESSAGE_SK_PREFIX) ? sk.slice(MESSAGE_SK_PREFIX.length) : undefined;

/** The marker that makes (room, sender, clientMessageId) store one message. */
export const dedupeKey = (roomId: string, senderId: string, clientMessageId: string) => ({
  roomId,
  sk: `${DEDUPE_SK_PREFIX}${senderId}#${clientMessageId}`,
});

/** A message about to be stored: moderated (or `pending`), with its idempotency key and, for an agent's reply, its metadata. */
export type NewMessage = ModeratedMessage & { readonly clientMessageId: string; readonly agent?: AgentReplyMeta };

export const isMessageItem = (item: Item): boolean => item['entity'] === ENTITY.message;

/** A message item's TTL (epoch seconds), absent when it has none: what follows the message, such as its held marker, takes it. */
export const expiresAtOf = (item: Item | undefined): number | undefined =>
  typeof item?.['expiresAt'] === 'number' ? item['expiresAt'] : undefined;

/**
 * The item of a message. The moderation decision's attributes are written
 * only with a decision (a person's message is moderated before it is stored;
 * an agent's reply is stored `pending` and decided later, see
 * `decisionUpdate`). An agent's reply also carries its handle and depth at
 * the top, which the agents' stream consumer reads, and its metadata.
 */
export function toItem(message: NewMessage, expiresAt?: number): Item {
  const { agent } = message;
  return {
    roomId: message.roomId,
    sk: messageSk(message.messageId),
    entity: ENTITY.message,
    messageId: message.messageId,
    senderId: message.senderId,
    senderName: message.senderName,
    senderType: message.senderType,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    moderation: message.moderation,
    ...(message.decision !== undefined
      ? {
          decision: message.decision,
          redacted: message.redacted === true,
          moderationReasons: [...(message.reasons ?? [])],
          ...(message.moderatedAt !== undefined ? { moderatedAt: message.moderatedAt } : {}),
        }
      : {}),
    ...(message.hidden !== undefined ? { hiddenBy: message.hidden.by, hiddenAt: message.hidden.at } : {}),
    ...(message.releasedBy !== undefined ? { releasedBy: message.releasedBy } : {}),
    ...(agent !== undefined ? { agentHandle: agent.handle, replyDepth: agent.replyDepth, agent } : {}),
    // Sparse: the agents' stream filter matches `agents = true`; rooms without agents carry nothing.
    ...(message.agents === true ? { [ROOM_HAS_AGENTS_ATTRIBUTE]: true } : {}),
    ...(message.mentions !== undefined && message.mentions.length > 0 ? { mentions: mentionsAttr(message.mentions) } : {}),
    ...(message.editedAt !== undefined ? { [EDITED_AT_ATTRIBUTE]: message.editedAt } : {}),
    ...(message.citations !== undefined && message.citations.length > 0 ? { citations: citationsAttr(message.citations) } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}

/** A stored message with its moderation; throws when the item is not the shape `toItem` writes. */
export function toMessage(item: Item): ModeratedMessage {
  const clientMessageId = optionalStringAttr(item, 'clientMessageId');
  const decision = optionalStringAttr(item, 'decision');
  const moderatedAt = optionalStringAttr(item, 'moderatedAt');
  const hiddenBy = optionalStringAttr(item, 'hiddenBy');
  const hiddenAt = optionalStringAttr(item, 'hiddenAt');
  const releasedBy = optionalStringAttr(item, 'releasedBy');
  const reasons = item['moderationReasons'];
  const editedAt = optionalStringAttr(item, EDITED_AT_ATTRIBUTE);
  const mentions = mentionsOf(item['mentions']);
  const citations = citationsOf(item['citations']);
  return {
    roomId: stringAttr(item, 'roomId'),
    messageId: stringAttr(item, 'messageId'),
    senderId: stringAttr(item, 'senderId'),
    senderName: stringAttr(item, 'senderName'),
    senderType: oneOfAttr(item, 'senderType', SENDER_TYPES),
    text: stringAttr(item, 'text'),
    ...(clientMessageId !== undefined ? { clientMessageId } : {}),
    createdAt: stringAttr(item, 'createdAt'),
    moderation: oneOfAttr(item, 'moderation', MODERATION_STATES),
    ...(decision !== undefined && (FINAL_MODERATION_STATES as readonly string[]).includes(decision)
      ? { decision: decision as FinalModerationState }
      : {}),
    ...(Array.isArray(reasons) ? { reasons: reasons.filter((r): r is string => typeof r === 'string') } : {}),
    ...(moderatedAt !== undefined ? { moderatedAt } : {}),
    ...(item['redacted'] === true ? { redacted: true } : {}),
    ...(hiddenBy !== undefined && hiddenAt !== undefined ? { hidden: { by: hiddenBy, at: hiddenAt } } : {}),
    ...(releasedBy !== undefined ? { releasedBy } : {}),
    ...(item[ROOM_HAS_AGENTS_ATTRIBUTE] === true ? { agents: true as const } : {}),
    ...(mentions.length > 0 ? { mentions } : {}),
    ...(editedAt !== undefined ? { editedAt } : {}),
    ...(citations.length > 0 ? { citations } : {}),
  };
}

/** Citations as stored: a list of maps, one per citation, with only the citation's fields. */
const citationsAttr = (citations: readonly Citation[]) =>
  citations.map(({ n, documentId, version, chunk, name, section, page }) => ({
    n,
    documentId,
    version,
    chunk,
    name,
    section,
    ...(page !== undefined ? { page } : {}),
  }));

function citationsOf(value: unknown): Citation[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): Citation[] => {
    const c = (entry ?? {}) as Record<string, unknown>;
    const whole = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
    if (!whole(c['n']) || typeof c['documentId'] !== 'string' || !whole(c['version']) || !whole(c['chunk'])) return [];
    if (typeof c['name'] !== 'string' || typeof c['section'] !== 'string') return [];
    return [
      {
        n: c['n'],
        documentId: c['documentId'],
        version: c['version'],
        chunk: c['chunk'],
        name: c['name'],
        section: c['section'],
        ...(whole(c['page']) ? { page: c['page'] } : {}),
      },
    ];
  });
}

/** Mentions as stored: a list of `{ kind, id }` maps. */
const mentionsAttr = (mentions: readonly Mention[]) => mentions.map(({ kind, id }) => ({ kind, id }));

/** The stored mentions, skipping any entry that is not one (never throws: they are a convenience, the text is the truth). */
function mentionsOf(value: unknown): Mention[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const { kind, id } = (entry ?? {}) as { kind?: unknown; id?: unknown };
    return (kind === 'member' || kind === 'agent') && typeof id === 'string' ? [{ kind, id }] : [];
  });
}

/** What an agent's reply item carries besides the message (see `toItem`); empty for other messages. */
export interface AgentReplyAttributes {
  readonly agentHandle?: string;
  readonly replyDepth?: number;
  readonly agent?: AgentReplyMeta;
}

export function agentReplyOf(item: Item): AgentReplyAttributes {
  const { agentHandle, replyDepth, agent } = item;
  return {
    ...(typeof agentHandle === 'string' ? { agentHandle } : {}),
    ...(typeof replyDepth === 'number' ? { replyDepth } : {}),
    ...(typeof agent === 'object' && agent !== null ? { agent: agent as AgentReplyMeta } : {}),
  };
}

/**
 * The attributes a reply's facts are read from, without its text. `agent`
 * is a DynamoDB reserved word, so every name goes through a placeholder.
 */
export const REPLY_FACTS_PROJECTION = {
  ProjectionExpression: '#messageId, #createdAt, #agent',
  ExpressionAttributeNames: { '#messageId': 'messageId', '#createdAt': 'createdAt', '#agent': 'agent' },
} as const;

export interface MessageWriteOptions {
  /** When the table's TTL removes the message, in epoch seconds; absent, it is kept. */
  readonly expiresAt?: number;
  /** How long the marker recognises a retry. */
  readonly dedupeTtlSeconds: number;
}

export type MessageWriteResult =
  | { readonly stored: true }
  /** The marker exists: this is a retry of a message stored before. `cause` is the cancelled transaction. */
  | { readonly stored: false; readonly cause: unknown };

/**
 * Stores a new message and its idempotency marker in one transaction, each
 * conditioned on not existing. A marker past its expiry counts as absent (TTL
 * deletes lazily). Any failure other than the marker's condition, including
 * the message's own, is thrown.
 */
export async function writeMessage(
  client: DynamoDBDocumentClient,
  tableName: string,
  message: NewMessage,
  options: MessageWriteOptions,
): Promise<MessageWriteResult> {
  const nowSeconds = epochSeconds(Date.now());
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: toItem(message, options.expiresAt),
              ConditionExpression: 'attribute_not_exists(sk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...dedupeKey(message.roomId, message.senderId, message.clientMessageId),
                entity: ENTITY.dedupe,
                messageId: message.messageId,
                expiresAt: nowSeconds + options.dedupeTtlSeconds,
              },
              ConditionExpression: 'attribute_not_exists(sk) OR expiresAt < :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
            },
          },
        ],
      }),
    );
    return { stored: true };
  } catch (error) {
    if (isTransactionConditionFailure(error, 1)) return { stored: false, cause: error };
    throw error;
  }
}

/** An UpdateItem's change of a message item, with the condition that makes it happen once. */
export interface MessageUpdate {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

/** Moves a pending message to its moderation decision, only while it is pending. */
export const decisionUpdate = (decision: Decision): MessageUpdate => ({
  UpdateExpression:
    'SET #moderation = :state, #decision = :state, #text = :text, #redacted = :redacted, #reasons = :reasons, #at = :at',
  ConditionExpression: '#moderation = :pending',
  ExpressionAttributeNames: {
    '#moderation': 'moderation',
    '#decision': 'decision',
    '#text': 'text',
    '#redacted': 'redacted',
    '#reasons': 'moderationReasons',
    '#at': 'moderatedAt',
  },
  ExpressionAttributeValues: {
    ':state': decision.state,
    ':text': decision.text,
    ':redacted': decision.redacted,
    ':reasons': [...decision.reasons],
    ':at': decision.decidedAt,
    ':pending': 'pending',
  },
});

/** Hides an existing, visible message (`hidden` given) or shows a hidden one again. */
export const hiddenUpdate = (hidden: { by: string; at: string } | undefined): MessageUpdate =>
  hidden
    ? {
        UpdateExpression: 'SET hiddenBy = :by, hiddenAt = :at',
        ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(hiddenBy)',
        ExpressionAttributeValues: { ':by': hidden.by, ':at': hidden.at },
      }
    : { UpdateExpression: 'REMOVE hiddenBy, hiddenAt', ConditionExpression: 'attribute_exists(hiddenBy)' };

/** Releases a quarantined message to `to`, only while it is quarantined. */
export const releaseUpdate = (to: 'allowed' | 'redacted', by: string): MessageUpdate => ({
  UpdateExpression: 'SET #moderation = :to, releasedBy = :by',
  ConditionExpression: '#moderation = :quarantined',
  ExpressionAttributeNames: { '#moderation': 'moderation' },
  ExpressionAttributeValues: { ':to': to, ':by': by, ':quarantined': 'quarantined' },
});

const READABLE_VALUES: Record<`:${ReadableState}`, ReadableState> = { ':allowed': 'allowed', ':redacted': 'redacted' };

/**
 * Replaces a message's text with its sender's edit and its new moderation
 * decision, only while it is the sender's, still readable (allowed or
 * redacted, not hidden) and not edited by anyone since it was read.
 */
export const editUpdate = (edit: MessageEdit): MessageUpdate => ({
  UpdateExpression: [
    'SET #text = :text, #editedAt = :editedAt, #moderation = :state, #decision = :state,',
    '#redacted = :isRedacted, #reasons = :reasons, #at = :editedAt',
    edit.mentions.length > 0 ? ', mentions = :mentions' : 'REMOVE mentions',
  ].join(' '),
  ConditionExpression: [
    'senderId = :sender',
    `#moderation IN (${Object.keys(READABLE_VALUES).join(', ')})`,
    'attribute_not_exists(hiddenBy)',
    edit.previousEditedAt === undefined ? 'attribute_not_exists(#editedAt)' : '#editedAt = :previousEditedAt',
  ].join(' AND '),
  ExpressionAttributeNames: {
    '#text': 'text',
    '#editedAt': EDITED_AT_ATTRIBUTE,
    '#moderation': 'moderation',
    '#decision': 'decision',
    '#redacted': 'redacted',
    '#reasons': 'moderationReasons',
    '#at': 'moderatedAt',
  },
  ExpressionAttributeValues: {
    ':text': edit.text,
    ':editedAt': edit.editedAt,
    ':state': edit.moderation,
    ':isRedacted': edit.redacted,
    ':reasons': [...edit.reasons],
    ':sender': edit.senderId,
    ...READABLE_VALUES,
    ...(edit.mentions.length > 0 ? { ':mentions': mentionsAttr(edit.mentions) } : {}),
    ...(edit.previousEditedAt !== undefined ? { ':previousEditedAt': edit.previousEditedAt } : {}),
  },
});

/** A record of the messages table's stream, read once for every consumer. */
export interface MessageRecord extends MessageChange {
  /** Every attribute of the item before the change (any entity), unmarshalled; absent for an insert. */
  readonly oldItem?: Item;
  /** Every attribute of the item after the change (any entity), unmarshalled; absent for a removal. */
  readonly newItem?: Item;
}

const imageOf = (raw: unknown): Item | undefined =>
  raw === undefined ? undefined : unmarshall(raw as Record<string, AttributeValue>);

/**
 * Reads a stream record of the messages table. `before` and `after` are the
 * messages the images hold; they are absent for images of other items (a
 * dedupe marker) and for images the stream view leaves out. A message image
 * that is not the shape `toItem` writes throws, as does a record without an
 * event name or sequence number: the record is retried and ends in the
 * consumer's failure destination rather than being silently dropped.
 */
export function messageRecordOf(record: DynamoDBRecord): MessageRecord {
  const { eventName } = record;
  const sequence = record.dynamodb?.SequenceNumber;
  if ((eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE') || sequence === undefined) {
    throw new ParleyError('The stream record has no event name or sequence number.');
  }
  const oldItem = imageOf(record.dynamodb?.OldImage);
  const newItem = imageOf(record.dynamodb?.NewImage);
  return {
    eventName,
    sequence,
    ...(oldItem ? { oldItem } : {}),
    ...(newItem ? { newItem } : {}),
    ...(oldItem && isMessageItem(oldItem) ? { before: toMessage(oldItem) } : {}),
    ...(newItem && isMessageItem(newItem) ? { after: toMessage(newItem) } : {}),
  };
}
