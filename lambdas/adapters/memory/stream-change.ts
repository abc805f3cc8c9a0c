import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { ParleyError } from '../../domain/errors';
import type { StoredChange } from '../../domain/memory/changes';

const image = (raw: unknown): Record<string, unknown> | undefined =>
  raw === undefined ? undefined : unmarshall(raw as Record<string, AttributeValue>);

/** A DynamoDB stream record as a change with plain images. */
export function storedChangeOf(record: DynamoDBRecord): StoredChange {
  const { eventName } = record;
  const sequence = record.dynamodb?.SequenceNumber;
  if ((eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE') || sequence === undefined) {
    throw new ParleyError('The stream record has no event name or sequence number.');
  }
  const oldImage = image(record.dynamodb?.OldImage);
  const newImage = image(record.dynamodb?.NewImage);
  return { eventName, sequence, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) };
}
