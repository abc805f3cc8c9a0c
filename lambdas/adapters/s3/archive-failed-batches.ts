import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { ParleyError } from '../../domain/errors';
import { FAILED_BATCH_PREFIX, type RemovedMessage } from '../../domain/retention/archive';
import type { FailedBatch, FailedBatchStore } from '../../domain/retention/ports';
import type { Page } from '../../domain/types';
import { removedMessageOf } from '../dynamodb/retention-removals';

/**
 * The invocation event inside an S3 failure destination object. Lambda
 * writes the invocation record with the whole event, which a stream's SQS or
 * SNS destination would not carry; the event may be stored as JSON text or
 * as an object.
 */
function recordsOf(document: unknown): DynamoDBRecord[] {
  const doc = document as { payload?: unknown; requestPayload?: unknown } | null;
  let payload = doc?.payload ?? doc?.requestPayload;
  if (typeof payload === 'string') payload = JSON.parse(payload) as unknown;
  const records = (payload as { Records?: unknown } | undefined)?.Records;
  if (!Array.isArray(records)) throw new ParleyError('The failed batch has no records in its payload.');
  return records as DynamoDBRecord[];
}

/**
 * The archive consumer's failed batches, as its event source mapping's S3
 * on-failure destination keeps them: one JSON object per batch under
 * `aws/lambda/<mapping>/<shard>/<yyyy>/<mm>/<dd>/…`. Removing a batch after
 * its replay leaves a delete marker; the versioned bucket's lifecycle keeps
 * the old version for a while.
 */
export class S3FailedBatchStore implements FailedBatchStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string = FAILED_BATCH_PREFIX,
  ) {}

  async list(limit: number, cursor?: string): Promise<Page<string>> {
    const result = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.prefix,
        MaxKeys: limit,
        ...(cursor !== undefined ? { ContinuationToken: cursor } : {}),
      }),
    );
    const items = (result.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    return {
      items,
      ...(result.IsTruncated && result.NextContinuationToken ? { nextCursor: result.NextContinuationToken } : {}),
    };
  }

  async read(id: string): Promise<FailedBatch> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: id }));
    const text = (await result.Body?.transformToString('utf8')) ?? '';
    const messages = recordsOf(JSON.parse(text)).flatMap((record): RemovedMessage[] => {
      const message = removedMessageOf(record);
      return message ? [message] : [];
    });
    return { id, messages };
  }

  async remove(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: id }));
  }
}
