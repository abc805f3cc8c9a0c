import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { agentSenderId } from '../../domain/agents/config';
import type { AgentMessageStore, StoredReply } from '../../domain/agents/ports';
import type { AgentMessage, AgentReplyMeta } from '../../domain/agents/reply';
import type { HistoryEntry } from '../../domain/agents/prompt';
import { isReadable, type ModerationState } from '../../domain/message';
import { optionalStringAttr, stringAttr, type Item } from './items';
import { replyClientId } from './agent-schema';
import {
  agentReplyOf,
  dedupeKey,
  isMessageItem,
  MESSAGE_SK_PREFIX,
  messageKey,
  messageSk,
  REPLY_FACTS_PROJECTION,
  toMessage,
  writeMessage,
} from './message-items';

/** Pages read at most when looking for `limit` readable messages. */
const MAX_PAGES = 3;

const markerKey = (roomId: string, handle: string, triggerMessageId: string, attempt = 1) =>
  dedupeKey(roomId, agentSenderId(handle), replyClientId(triggerMessageId, attempt));

/** A message an agent may read (see `isReadable`) as a line of its history; undefined for any other. */
function toEntry(item: Item): HistoryEntry | undefined {
  if (!isMessageItem(item)) return undefined;
  const message = toMessage(item);
  if (!isReadable(message)) return undefined;
  const { agentHandle } = agentReplyOf(item);
  return {
    messageId: message.messageId,
    senderId: message.senderId,
    senderName: message.senderName,
    senderType: message.senderType,
    text: message.text,
    createdAt: message.createdAt,
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
}

/** Agents' reads and writes in the messages table (items: message-items.ts; keys: agent-schema.ts). */
export class DynamoAgentMessageStore implements AgentMessageStore {
  private readonly initialModeration: Extract<ModerationState, 'pending' | 'allowed'>;
  private readonly markerTtlSeconds: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: AgentMessageStoreOptions = {},
  ) {
    this.initialModeration = options.initialModeration ?? 'allowed';
    this.markerTtlSeconds = options.markerTtlSeconds ?? 7 * 86_400;
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
          ExpressionAttributeValues: { ':roomId': roomId, ':first': MESSAGE_SK_PREFIX, ':upTo': messageSk(upToMessageId) },
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

  async hasReplied(roomId: string, handle: string, triggerMessageId: string, attempt = 1): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey(roomId, handle, triggerMessageId, attempt), ConsistentRead: true }),
    );
    return Item !== undefined;
  }

  /** Two consistent reads: the marker names the reply; the reply's metadata, not its text. */
  async storedReply(roomId: string, handle: string, triggerMessageId: string, attempt = 1): Promise<StoredReply | undefined> {
    const { Item: marker } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: markerKey(roomId, handle, triggerMessageId, attempt), ConsistentRead: true }),
    );
    const messageId = marker === undefined ? undefined : optionalStringAttr(marker, 'messageId');
    if (messageId === undefined) return undefined;
    return this.replyById(roomId, messageId);
  }

  /** One consistent read of the reply's facts, not its text. */
  async replyById(roomId: string, messageId: string): Promise<StoredReply | undefined> {
    const { Item: reply } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: messageKey(roomId, messageId),
        ConsistentRead: true,
        ...REPLY_FACTS_PROJECTION,
      }),
    );
    const agent = reply === undefined ? undefined : agentReplyOf(reply).agent;
    if (reply === undefined || agent === undefined) return undefined;
    return { messageId, createdAt: stringAttr(reply, 'createdAt'), agent };
  }

  /**
   * The reply and its marker in one transaction (see writeMessage), so a job
   * delivered twice stores one reply. Its idempotency key is the message it
   * answers (and the attempt, for a regenerated answer); `expiresAt` comes from its room's retention, like any message's.
   */
  async saveReply(message: AgentMessage, expiresAt?: number): Promise<boolean> {
    const written = await writeMessage(
      this.client,
      this.tableName,
      {
        ...message,
        senderType: 'agent',
        clientMessageId: replyClientId(message.agent.triggerMessageId, message.agent.attempt),
        moderation: this.initialModeration,
      },
      { dedupeTtlSeconds: this.markerTtlSeconds, ...(expiresAt !== undefined ? { expiresAt } : {}) },
    );
    return written.stored;
  }
}
