import { createHash } from 'node:crypto';
import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ParleyError } from '../../domain/errors';
import { compareSequence } from '../../domain/memory/changes';
import type { ForgetOutcome, MemoryStore, RememberOutcome } from '../../domain/memory/ports';
import { EMPTY_CURSOR, earliestWindowFor, placeMessage } from '../../domain/memory/windows';
import type {
  MemoryChunk,
  MemoryCursor,
  MemoryPolicy,
  RememberedMessage,
  RoomSummaryRecord,
  SequencedMessage,
  SummaryLine,
} from '../../domain/memory/types';
import type { SenderType } from '../../domain/message';
import { batchWriteAll } from './batch-write';
import { batchGetAll, CONSISTENT_READ } from './batch-get';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, stringAttr, type Item } from './items';
import { MEMORY_ENTITY, TOMBSTONE_TTL_SECONDS, memoryKeys } from './memory-schema';
import { queryAll } from './query-all';

/** Raised when another writer changed the room's memory between our read and our write; the record is retried. */
export class MemoryWriteConflictError extends ParleyError {
  constructor(roomId: string, options?: { cause?: unknown }) {
    super(`Room memory of ${roomId} changed concurrently; retry the change.`, options);
    this.name = 'MemoryWriteConflictError';
  }
}

interface Marker {
  readonly sequence: string;
  readonly state: 'remembered' | 'forgotten';
  readonly seq?: number;
  readonly windowStart?: number;
  readonly textHash?: string;
}

const hashText = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

const numberAttr = (item: Item, name: string): number => {
  const value = item[name];
  if (typeof value !== 'number') throw new ParleyError(`Stored memory item has no number "${name}".`);
  return value;
};

const toCursor = (item: Item | undefined): MemoryCursor =>
  item
    ? {
        seq: numberAttr(item, 'seq'),
        windowStart: numberAttr(item, 'windowStart'),
        windowCount: numberAttr(item, 'windowCount'),
        windowChars: numberAttr(item, 'windowChars'),
      }
    : EMPTY_CURSOR;

const toMarker = (item: Item | undefined): Marker | undefined => {
  if (!item) return undefined;
  const state = stringAttr(item, 'state');
  return {
    sequence: stringAttr(item, 'sequence'),
    state: state === 'remembered' ? 'remembered' : 'forgotten',
    ...(typeof item['seq'] === 'number' ? { seq: item['seq'] } : {}),
    ...(typeof item['windowStart'] === 'number' ? { windowStart: item['windowStart'] } : {}),
    ...(typeof item['textHash'] === 'string' ? { textHash: item['textHash'] } : {}),
  };
};

const entryOf = (message: RememberedMessage, seq: number) => ({
  seq,
  senderName: message.senderName,
  senderType: message.senderType,
  ...(message.senderId !== undefined ? { senderId: message.senderId } : {}),
  text: message.text,
  createdAt: message.createdAt,
  ...(message.vector !== undefined ? { vector: message.vector } : {}),
});

const toChunk = (item: Item): MemoryChunk => {
  const roomId = stringAttr(item, 'roomId');
  const entries = (item['messages'] ?? {}) as Record<string, Item>;
  const messages: SequencedMessage[] = Object.entries(entries).map(([messageId, e]) => ({
    roomId,
    messageId,
    seq: numberAttr(e, 'seq'),
    senderName: stringAttr(e, 'senderName'),
    senderType: stringAttr(e, 'senderType') as SenderType,
    ...(typeof e['senderId'] === 'string' ? { senderId: e['senderId'] } : {}),
    text: stringAttr(e, 'text'),
    createdAt: stringAttr(e, 'createdAt'),
    ...(typeof e['vector'] === 'string' ? { vector: e['vector'] } : {}),
  }));
  messages.sort((a, b) => a.seq - b.seq);
  return { roomId, windowStart: numberAttr(item, 'windowStart'), messages };
};

const toSummary = (item: Item): RoomSummaryRecord => ({
  roomId: stringAttr(item, 'roomId'),
  text: stringAttr(item, 'text'),
  fromMessageId: stringAttr(item, 'fromMessageId'),
  toMessageId: stringAttr(item, 'toMessageId'),
  fromSeq: numberAttr(item, 'fromSeq'),
  throughSeq: numberAttr(item, 'throughSeq'),
  ...(Array.isArray(item['lines']) ? { lines: item['lines'] as SummaryLine[] } : {}),
  producedBy: stringAttr(item, 'producedBy'),
  createdAt: stringAttr(item, 'createdAt'),
});

const isCancelledByCondition = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { name?: unknown }).name === 'TransactionCanceledException' &&
  ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some(
    (r) => r.Code === 'ConditionalCheckFailed',
  );

export interface DynamoMemoryStoreOptions {
  /** Attempts of one change when another writer races it (default 3). */
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

/**
 * Room memory in its own DynamoDB table (see memory-schema.ts). Remembering
 * a message is one transaction of three items, the marker, the window and
 * the room's cursor, each conditioned on what was read, so a message gets
 * exactly one place even under redelivery or concurrent writers.
 */
export class DynamoMemoryStore implements MemoryStore {
  private readonly maxAttempts: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoMemoryStoreOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.now = options.now ?? Date.now;
  }

  async remember(message: RememberedMessage, sequence: string, policy: MemoryPolicy): Promise<RememberOutcome> {
    return this.withRetries(message.roomId, () => this.tryRemember(message, sequence, policy));
  }

  async forget(roomId: string, messageId: string, sequence: string): Promise<ForgetOutcome> {
    return this.withRetries(roomId, () => this.tryForget(roomId, messageId, sequence));
  }

  async recentChunks(roomId: string, limit: number): Promise<MemoryChunk[]> {
    const chunks: MemoryChunk[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'roomId = :roomId AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':roomId': roomId, ':prefix': memoryKeys.chunkPrefix },
          ScanIndexForward: false,
          Limit: Math.min(limit - chunks.length, 200),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      chunks.push(...(page.Items ?? []).map(toChunk));
      startKey = page.LastEvaluatedKey;
    } while (startKey && chunks.length < limit);
    return chunks;
  }

  async messagesBetween(roomId: string, fromSeq: number, toSeq: number, policy: MemoryPolicy): Promise<SequencedMessage[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':roomId': roomId,
        ':from': memoryKeys.chunk(earliestWindowFor(fromSeq, policy)),
        ':to': memoryKeys.chunk(toSeq),
      },
    });
    return items
      .map(toChunk)
      .flatMap((c) => c.messages)
      .filter((m) => m.seq >= fromSeq && m.seq <= toSeq);
  }

  async latestSummary(roomId: string, atMostSeq?: number): Promise<RoomSummaryRecord | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':roomId': roomId,
          ':from': memoryKeys.summary(0),
          ':to': atMostSeq === undefined ? `${memoryKeys.summaryPrefix}~` : memoryKeys.summary(atMostSeq),
        },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = page.Items?.[0];
    return item ? toSummary(item) : undefined;
  }

  async saveSummary(summary: RoomSummaryRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...summary, sk: memoryKeys.summary(summary.throughSeq), entity: MEMORY_ENTITY.summary },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async discardSummariesFrom(roomId: string, fromSeq: number): Promise<number> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'roomId = :roomId AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':roomId': roomId,
        ':from': memoryKeys.summary(fromSeq),
        ':to': `${memoryKeys.summaryPrefix}~`,
      },
      ProjectionExpression: 'roomId, sk',
    });
    await batchWriteAll(
      this.client,
      this.tableName,
      items.map((key) => ({ DeleteRequest: { Key: { roomId: key['roomId'], sk: key['sk'] } } })),
    );
    return items.length;
  }

  private async withRetries<T>(roomId: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!isCancelledByCondition(error) && !isConditionalCheckFailed(error)) throw error;
        if (n >= this.maxAttempts) throw new MemoryWriteConflictError(roomId, { cause: error });
      }
    }
  }

  private async read(roomId: string, messageId: string): Promise<{ marker?: Marker; cursor: MemoryCursor }> {
    // Both under the room's key, read consistently in one request.
    const markerSk = memoryKeys.marker(messageId);
    const items = await batchGetAll(this.client, this.tableName, [
      { roomId, sk: markerSk },
      { roomId, sk: memoryKeys.cursor },
    ], undefined, CONSISTENT_READ);
    const parsed = toMarker(items.find((item) => item['sk'] === markerSk));
    return { ...(parsed ? { marker: parsed } : {}), cursor: toCursor(items.find((item) => item['sk'] === memoryKeys.cursor)) };
  }

  /** The marker write, conditioned on the marker being what was read. */
  private markerPut(roomId: string, messageId: string, previous: Marker | undefined, fields: Item) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { roomId, sk: memoryKeys.marker(messageId), entity: MEMORY_ENTITY.marker, ...fields },
        ...(previous
          ? {
              ConditionExpression: '#sequence = :previous',
              ExpressionAttributeNames: { '#sequence': 'sequence' },
              ExpressionAttributeValues: { ':previous': previous.sequence },
            }
          : { ConditionExpression: 'attribute_not_exists(sk)' }),
      },
    };
  }

  private async tryRemember(message: RememberedMessage, sequence: string, policy: MemoryPolicy): Promise<RememberOutcome> {
    const { roomId, messageId } = message;
    const { marker, cursor } = await this.read(roomId, messageId);
    if (marker && compareSequence(sequence, marker.sequence) <= 0) {
      return { status: 'unchanged', ...(marker.seq !== undefined ? { seq: marker.seq } : {}), roomSeq: cursor.seq };
    }
    const textHash = hashText(message.text);

    if (marker?.state === 'remembered' && marker.seq !== undefined && marker.windowStart !== undefined) {
      const { seq, windowStart } = marker;
      // Same text (a change of some other attribute): nothing to write. Keeping the
      // marker's sequence is safe, since any replay older than it carries no newer text.
      if (marker.textHash === textHash) return { status: 'unchanged', seq, roomSeq: cursor.seq };
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            this.markerPut(roomId, messageId, marker, { state: 'remembered', sequence, seq, windowStart, textHash }),
            {
              Update: {
                TableName: this.tableName,
                Key: { roomId, sk: memoryKeys.chunk(windowStart) },
                UpdateExpression: 'SET messages.#id = :entry',
                ConditionExpression: 'attribute_exists(sk)',
                ExpressionAttributeNames: { '#id': messageId },
                ExpressionAttributeValues: { ':entry': entryOf(message, seq) },
              },
            },
          ],
        }),
      );
      return { status: 'revised', seq, roomSeq: cursor.seq };
    }

    const placement = placeMessage(cursor, message.text.length, policy);
    const chunkKey = { roomId, sk: memoryKeys.chunk(placement.windowStart) };
    const entry = entryOf(message, placement.seq);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          this.markerPut(roomId, messageId, marker, {
            state: 'remembered',
            sequence,
            seq: placement.seq,
            windowStart: placement.windowStart,
            textHash,
          }),
          placement.opensWindow
            ? {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...chunkKey,
                    entity: MEMORY_ENTITY.chunk,
                    windowStart: placement.windowStart,
                    messages: { [messageId]: entry },
                  },
                  ConditionExpression: 'attribute_not_exists(sk)',
                },
              }
            : {
                Update: {
                  TableName: this.tableName,
                  Key: chunkKey,
                  UpdateExpression: 'SET messages.#id = :entry',
                  ConditionExpression: 'attribute_exists(sk)',
                  ExpressionAttributeNames: { '#id': messageId },
                  ExpressionAttributeValues: { ':entry': entry },
                },
              },
          {
            Put: {
              TableName: this.tableName,
              Item: { roomId, sk: memoryKeys.cursor, entity: MEMORY_ENTITY.cursor, ...placement.next },
              // Optimistic lock: nobody placed a message since the cursor was read.
              ConditionExpression: cursor.seq === 0 ? 'attribute_not_exists(sk)' : 'seq = :seq',
              ...(cursor.seq === 0 ? {} : { ExpressionAttributeValues: { ':seq': cursor.seq } }),
            },
          },
        ],
      }),
    );
    return { status: 'remembered', seq: placement.seq, roomSeq: placement.seq };
  }

  private async tryForget(roomId: string, messageId: string, sequence: string): Promise<ForgetOutcome> {
    const { marker, cursor } = await this.read(roomId, messageId);
    if (marker && compareSequence(sequence, marker.sequence) <= 0) return { status: 'unchanged', roomSeq: cursor.seq };
    const tombstone = this.markerPut(roomId, messageId, marker, {
      state: 'forgotten',
      sequence,
      expiresAt: epochSeconds(this.now()) + TOMBSTONE_TTL_SECONDS,
    });
    if (marker?.state !== 'remembered' || marker.seq === undefined || marker.windowStart === undefined) {
      await this.client.send(new PutCommand(tombstone.Put));
      return { status: 'unchanged', roomSeq: cursor.seq };
    }
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          tombstone,
          {
            Update: {
              TableName: this.tableName,
              Key: { roomId, sk: memoryKeys.chunk(marker.windowStart) },
              UpdateExpression: 'REMOVE messages.#id',
              // Never let the update create a window that is not there.
              ConditionExpression: 'attribute_exists(sk)',
              ExpressionAttributeNames: { '#id': messageId },
            },
          },
        ],
      }),
    );
    return { status: 'forgotten', seq: marker.seq, roomSeq: cursor.seq };
  }
}
