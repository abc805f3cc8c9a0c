import type { DynamoDBRecord } from 'aws-lambda';
import { ParleyError } from '../../domain/errors';
import type { RemovedMessage } from '../../domain/retention/archive';
import { messageRecordOf } from './message-items';

/** Who DynamoDB names as the remover of an item its TTL expired. */
export const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/**
 * True for a REMOVE record DynamoDB's TTL made: a deletion by the service
 * itself, `userIdentity` `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`.
 * A person's or a function's DeleteItem carries no `userIdentity`.
 */
export function isExpiry(record: Pick<DynamoDBRecord, 'eventName' | 'userIdentity'>): boolean {
  const identity = record.userIdentity as { type?: unknown; principalId?: unknown } | undefined;
  return record.eventName === 'REMOVE' && identity?.type === 'Service' && identity.principalId === TTL_PRINCIPAL;
}

const epochSecondsToIso = (value: unknown): string => {
  const seconds = typeof value === 'number' ? value : Number(value);
  return new Date(Number.isFinite(seconds) ? seconds * 1000 : 0).toISOString();
};

/**
 * The message a stream record removed, or undefined for records that are
 * not removals of message items (inserts, updates, dedupe markers): the
 * event source mapping filters those out already, so this only guards. A
 * message removal without its old image cannot be archived and throws: the
 * stream must be NEW_AND_OLD_IMAGES.
 */
export function removedMessageOf(record: DynamoDBRecord): RemovedMessage | undefined {
  if (record.eventName !== 'REMOVE') return undefined;
  const { sequence, before, oldItem } = messageRecordOf(record);
  if (!oldItem) {
    throw new ParleyError('A REMOVE record has no old image; the stream must include old images.');
  }
  if (!before) return undefined;
  return {
    sequenceNumber: sequence,
    cause: isExpiry(record) ? 'expired' : 'deleted',
    roomId: before.roomId,
    messageId: before.messageId,
    removedAt: epochSecondsToIso(record.dynamodb?.ApproximateCreationDateTime),
    item: oldItem,
  };
}
