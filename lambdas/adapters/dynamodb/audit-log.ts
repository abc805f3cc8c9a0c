import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_ACTIONS,
  assertAuditable,
  type AuditActorType,
  AUDIT_FAMILIES,
  type AuditDetails,
  type AuditEntry,
  type AuditFilter,
  type AuditLog,
  type AuditLogReader,
  type AuditRecord,
  type AuditTarget,
} from '../../domain/audit';
import { auditCursor, parseTimedCursor } from '../../domain/cursors';
import { ValidationError } from '../../domain/errors';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { oneOfAttr, optionalStringAttr, stringAttr, type Item } from './items';
import { AUDIT_ENTITY, AUDIT_TABLE } from './audit-schema';

const ACTOR_TYPES: readonly AuditActorType[] = ['user', 'agent', 'system'];
const TARGET_TYPES: readonly AuditTarget['type'][] = ['message', 'member', 'agent', 'room', 'webhook', 'apiKey'];

/** The entry id: 26 hex characters of SHA-256 over the room and the idempotency key. */
export const auditEntryId = (roomId: string, idempotencyKey: string): string =>
  createHash('sha256').update(`${roomId}\n${idempotencyKey}`).digest('hex').slice(0, 26);

const ENTRY_ID = /^[0-9a-f]{26}$/;

export const toAuditRecord = (item: Item): AuditRecord => {
  const targetType = optionalStringAttr(item, 'targetType');
  const targetId = optionalStringAttr(item, 'targetId');
  const details = item['details'];
  return {
    entryId: stringAttr(item, 'entryId'),
    roomId: stringAttr(item, 'roomId'),
    idempotencyKey: stringAttr(item, 'idempotencyKey'),
    occurredAt: stringAttr(item, 'occurredAt'),
    actor: { type: oneOfAttr(item, 'actorType', ACTOR_TYPES), id: stringAttr(item, 'actorId') },
    action: oneOfAttr(item, 'action', AUDIT_ACTIONS),
    ...(targetType !== undefined && targetId !== undefined
      ? { target: { type: oneOfAttr(item, 'targetType', TARGET_TYPES), id: targetId } }
      : {}),
    ...(typeof details === 'object' && details !== null ? { details: details as AuditDetails } : {}),
  };
};

const invalidCursor = () => new ValidationError('The cursor is not one Parley issued.');

/**
 * The audit trail in DynamoDB (see audit-schema.ts). Writes are conditional
 * Puts of new items only: nothing here updates or deletes, and the function
 * roles are granted no such action on this table.
 */
export class DynamoAuditLog implements AuditLog, AuditLogReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    assertAuditable(entry);
    const entryId = auditEntryId(entry.roomId, entry.idempotencyKey);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `ROOM#${entry.roomId}`,
            sk: `ENTRY#${entryId}`,
            at: auditCursor({ occurredAt: entry.occurredAt, entryId }),
            entity: AUDIT_ENTITY,
            entryId,
            roomId: entry.roomId,
            idempotencyKey: entry.idempotencyKey,
            occurredAt: entry.occurredAt,
            actorType: entry.actor.type,
            actorId: entry.actor.id,
            action: entry.action,
            ...(entry.target ? { targetType: entry.target.type, targetId: entry.target.id } : {}),
            ...(entry.details && Object.keys(entry.details).length > 0 ? { details: entry.details } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Recorded before (a retry): one entry per idempotency key.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /**
   * Newest first, through the byTime index. The cursor names the last entry
   * read (kept or not). A filter is a FilterExpression: DynamoDB reads
   * `limit` entries and then drops those that do not pass, so a filtered page
   * may be short, or empty with a cursor, and costs what it read.
   */
  async page(
    roomId: string,
    options: { limit: number; cursor?: string; filter?: AuditFilter },
  ): Promise<Page<AuditRecord>> {
    const pk = `ROOM#${roomId}`;
    const startKey = options.cursor === undefined ? undefined : { pk, ...decodeCursor(options.cursor) };
    const { name, partitionKey } = AUDIT_TABLE.byTimeIndex;
    const filter = filterExpression(options.filter ?? {});
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': pk, ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ScanIndexForward: false,
        Limit: options.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const last = page.LastEvaluatedKey;
    return {
      items: (page.Items ?? []).map(toAuditRecord),
      ...(last ? { nextCursor: String(last['at']) } : {}),
    };
  }
}

/**
 * The FilterExpression of a filter, or undefined when it keeps everything:
 * a family is `begins_with(action, "<family>.")`, an action is equality, and
 * the kinds are alternatives; the actor must match as well.
 */
export function filterExpression(
  filter: AuditFilter,
): { expression: string; names: Record<string, string>; values: Record<string, string> } | undefined {
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const parts: string[] = [];
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    names['#action'] = 'action';
    const kinds = [...new Set(filter.kinds)].map((kind, i) => {
      const family = (AUDIT_FAMILIES as readonly string[]).includes(kind);
      values[`:kind${i}`] = family ? `${kind}.` : kind;
      return family ? `begins_with(#action, :kind${i})` : `#action = :kind${i}`;
    });
    parts.push(kinds.length === 1 ? kinds[0]! : `(${kinds.join(' OR ')})`);
  }
  if (filter.actorId !== undefined) {
    names['#actorId'] = 'actorId';
    values[':actorId'] = filter.actorId;
    parts.push('#actorId = :actorId');
  }
  return parts.length === 0 ? undefined : { expression: parts.join(' AND '), names, values };
}

/** A cursor (cursors.ts: auditCursor) is the `at` key of the last entry: `<occurredAt>#<entryId>`. */
function decodeCursor(cursor: string): { sk: string; at: string } {
  const parsed = parseTimedCursor(cursor);
  if (!parsed || !ENTRY_ID.test(parsed.id)) throw invalidCursor();
  return { sk: `ENTRY#${parsed.id}`, at: cursor };
}
