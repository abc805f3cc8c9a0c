import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FunctionPool } from '../functions/function-pool';
import type { LocalEventSourceMapping, LocalModel, LocalQueue } from '../model';
import type { FailureDestination, FailureRecord } from './types';

export interface FailureDestinationOptions {
  readonly model: LocalModel;
  readonly functions: FunctionPool;
  readonly sqs: SQSClient;
  readonly s3: S3Client;
  /** Told when a destination is neither a local queue nor a local bucket. */
  readonly onProgress: (message: string) => void;
}

/** The invocation record Lambda sends to an on-failure destination. */
const invocationRecord = (functionArn: string, failure: FailureRecord) => ({
  requestContext: {
    requestId: crypto.randomUUID(),
    functionArn,
    condition: failure.condition,
    approximateInvokeCount: failure.approximateInvokeCount,
  },
  responseContext: {
    statusCode: 200,
    executedVersion: '$LATEST',
    functionError: failure.functionError ?? 'Unhandled',
  },
  version: '1.0',
  timestamp: new Date().toISOString(),
  ...failure.batchInfo,
});

/** Where Lambda puts a failed batch in a bucket: the mapping, the shard, the day and the time. */
const objectKey = (mapping: LocalEventSourceMapping, failure: FailureRecord): string => {
  const now = new Date();
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  const time = now.toISOString().slice(0, 19).replaceAll(':', '.');
  const shardId = String((failure.batchInfo['DDBStreamBatchInfo'] as { shardId?: string } | undefined)?.shardId ?? 'shard');
  const mappingId = mapping.id.replace(/\W+/g, '-');
  return `aws/lambda/${mappingId}/${shardId}/${day}/${time}-${crypto.randomUUID()}`;
};

/** The name of a local bucket the ARN designates, if it designates one. */
const localBucketOf = (model: LocalModel, arn: string): string | undefined => {
  const bucketName = /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(arn)?.[1];
  return bucketName !== undefined && model.buckets.some((b) => b.name === bucketName) ? bucketName : undefined;
};

/**
 * Sends a mapping's failed batch to its on-failure destination as Lambda
 * does: an invocation record to an SQS queue, or to an S3 bucket with the
 * failed payload, records included.
 */
export function failureDestination(options: FailureDestinationOptions): FailureDestination {
  const { model, sqs, s3 } = options;
  const sendToBucket = async (bucket: string, record: object, mapping: LocalEventSourceMapping, failure: FailureRecord) => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: objectKey(mapping, failure),
        Body: JSON.stringify({ ...record, payload: JSON.stringify(failure.payload ?? { Records: [] }) }),
        ContentType: 'application/json',
      }),
    );
  };
  const sendToQueue = async (queue: LocalQueue, record: object) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: JSON.stringify(record),
        ...(queue.fifo ? { MessageGroupId: 'lambda', MessageDeduplicationId: crypto.randomUUID() } : {}),
      }),
    );
  };
  return async (mapping, failure) => {
    if (!mapping.onFailureArn) return;
    const record = invocationRecord(options.functions.get(mapping.functionKey).arn, failure);
    const bucket = localBucketOf(model, mapping.onFailureArn);
    if (bucket !== undefined) return sendToBucket(bucket, record, mapping, failure);
    const queue = model.queueByArn(mapping.onFailureArn);
    if (queue) return sendToQueue(queue, record);
    options.onProgress(`On-failure destination ${mapping.onFailureArn} is not a local queue or bucket; the records are dropped.`);
  };
}
