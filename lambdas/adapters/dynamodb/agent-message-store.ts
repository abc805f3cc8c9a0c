import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { agentSenderId } from '../../domain/agents/config';
import type { AgentMessageStore, StoredReply } from '../../domain/agents/ports';
import type { AgentMessage, AgentReplyMeta } from '../../domain/agents/reply';
import type { HistoryEntry } from '../../domain/agents/prompt';
import type { SenderType } from '../../domain/types';
import { isTransactionConditionFailure } from './errors';
import { epochSeconds, optionalStringAttr, stringAttr, type Item } from './items';
import { replyClientId } from './agent-schema';
import { ENTITY } from './schema';
import { expiresAtOf } from '../../domain/retention/policy';
import type { RetentionLookup } from '../../domain/retention/ports';

/** Moderation states of a message item (the moderation feature sets them). */
export type ModerationState = 'pending' | 'allowed' | 'redacted' | 'quarantined' | 'blocked';

/**
 * Messages an agent may read. A message without a `moderation` attribute
 * predates moderation and counts as allowed; a redacted message's `text`
 * is its redacted version (moderation keeps the original elsewhere). Pending,
 * quarantined, blocked and hidden messages never reach a prompt.
 */
const READABLE: ReadonlySet<string | undefined> = new Set([undefined, 'allowed', 'redacted']);

const SENDER_TYPES: ReadonlySet<string> = new Set<SenderType>(['human', 'agent', 'system']);
const MSG_PREFIX = 'MSG#';
/** Pages read at most when looking for `limit` readable messages. */
const MAX_PAGES = 3;

const markerKey = (roomId: string, handle: string, triggerMessageId: string) => ({
  roomId,
  sk: `DEDUP#${agentSenderId(handle)}#${replyClientId(triggerMessageId)}`,
});

function toEntry(item: Item): HistoryEntry | undefined {
  if (item['entity'] !== ENTITY.message || !READABLE.has(optionalStringAttr(item, 'moderation'))) return undefined;
  // A message a moderator hid is out of the conversation for agents too.
  if (item['hidden'] !== undefined) return undefined;
  const senderType = stringAttr(item, 'senderType');
  if (!SENDER_TYPES.has(senderType)) return undefined;
  const agentHandle = optionalStringAttr(item, 'agentHandle');
  return {
    messageId: stringAttr(item, 'messageId'),
    senderId: stringAttr(item, 'senderId'),
    senderName: stringAttr(item, 'senderName'),
    senderType: senderType as SenderType,
    text: stringAttr(item, 'text'),
    ...(agentHandle !== undefined ? { agentHandle } : {}),
  };
}

export interface AgentMessageStoreOptions {
  /**
   * The moderation state a new agent reply is stored with: `allowed` until
   * moderation runs on messages, then `pending` so replies are moderated
   * like people's messages.
   */
  readonly initialModeration?: Extract<ModerationState, 'pending' | 'allowed'>;
  /** How long the one-reply-per-message marker is kept (default 7 days). */
  readonly markerTtlSeconds?: number;
  /** Rooms' retention policies: a reply expires like any message of its room. Absent: kept. */
  readonly retention?: RetentionLookup;
}

/** Agents' reads and writes in the messages table (see schema.ts and agent-schema.ts). */
export class DynamoAgentMessageStore implements AgentMessageStore {
  private readonly initialModeration: ModerationState;
  private readonly markerTtlSeconds: number;
  private readonly retention: RetentionLookup | undefined;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: AgentMessageStoreOptions = {},
  ) {
    this.initialModeration = options.initialModeration ?? 'allowed';
    this.markerTtlSeconds = options.markerTtlSeconds ?? 7 * 86_400;
    this.retention = options.retention;
  }

  /**
   * Newest first from the message answered, one consistent Query per page
   * (the stream can deliver a message before an eventually consistent read
   * sees it), until `limit` readable messages are found.
   */
  async recentMessages(roomId: string, upToMessageId: string, limit: number): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES && entries.length < limit; page += 1) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :first AND :upTo',
          ExpressionAttributeValues: { ':roomId': roomId, ':first': MSG_PREFIX, ':upTo': `${MSG_PREFIX}${upToMessageId}` },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: Math.min(100, limit + 5),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        const entry = toEntry(item);
        if (entry && entries.length < limit) entries.push(entry);
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return entries.reverse();
  }

  async hasReplied(roomId: string, handle: string, triggerMessageId: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey(roomId, handle, triggerMessageId), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /** Two consistent reads: the marker names the reply; the reply's metadata, not its text. */
  async storedReply(roomId: string, handle: string, triggerMessageId: string): Promise<StoredReply | undefined> {
    const { Item: marker } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey(roomId, handle, triggerMessageId), ConsistentRead: true }),
    );
    const messageId = marker === undefined ? undefined : optionalStringAttr(marker, 'messageId');
    if (messageId === undefined) return undefined;
    const { Item: reply } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { roomId, sk: `${MSG_PREFIX}${messageId}` },
        ConsistentRead: true,
        ProjectionExpression: 'messageId, createdAt, agent',
      }),
    );
    const agent = reply?.['agent'];
    if (reply === undefined || typeof agent !== 'object' || agent === null) return undefined;
    return { messageId, createdAt: stringAttr(reply, 'createdAt'), agent: agent as AgentReplyMeta };
  }

  /**
   * The reply and its marker in one transaction, so a job delivered twice
   * stores one reply. The item has the shape of every message (see
   * message-repository.ts) plus `agentHandle` and `replyDepth` at the top,
   * which the agents' stream consumer reads, and the reply's metadata.
   */
  async saveReply(message: AgentMessage): Promise<boolean> {
    const { agent } = message;
    const clientMessageId = replyClientId(agent.triggerMessageId);
    const expiresAt = this.retention
      ? expiresAtOf(Date.parse(message.createdAt), (await this.retention.retentionOf(message.roomId)).days)
      : undefined;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  roomId: message.roomId,
                  sk: `${MSG_PREFIX}${message.messageId}`,
                  entity: ENTITY.message,
                  messageId: message.messageId,
                  senderId: message.senderId,
                  senderName: message.senderName,
                  senderType: 'agent',
                  text: message.text,
                  clientMessageId,
                  createdAt: message.createdAt,
                  moderation: this.initialModeration,
                  agentHandle: agent.handle,
                  replyDepth: agent.replyDepth,
                  agent,
                  ...(expiresAt !== undefined ? { expiresAt } : {}),
                },
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...markerKey(message.roomId, agent.handle, agent.triggerMessageId),
                  entity: ENTITY.dedupe,
                  messageId: message.messageId,
                  expiresAt: epochSeconds(Date.now()) + this.markerTtlSeconds,
                },
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error, 1)) return false;
      throw error;
    }
  }
}
