import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDbLocal, ensureTable } from './engines/dynamodb';
import { ensureBucket, ensureQueue, type FauxqsEngine } from './engines/fauxqs';
import type { LocalModel, LocalQueue, LocalTable } from './model';

/** Creates the tables and records each one's stream ARN, which mappings and functions refer to. */
async function deployTables(client: DynamoDBClient, tables: readonly LocalTable[]): Promise<void> {
  await Promise.all(
    tables.map(async (table) => {
      const streamArn = await ensureTable(client, table);
      if (streamArn) table.streamArn = streamArn;
    }),
  );
}

/** Creates the queues, dead-letter queues first: a redrive policy names an existing queue. */
async function deployQueues(sqs: SQSClient, queues: readonly LocalQueue[]): Promise<void> {
  const hasRedrive = (queue: LocalQueue) => Number('RedrivePolicy' in queue.attributes);
  const ordered = [...queues].sort((a, b) => hasRedrive(a) - hasRedrive(b));
  for (const queue of ordered) await ensureQueue(sqs, queue);
}

/**
 * Creates the template's tables, queues and buckets in DynamoDB Local and
 * fauxqs; existing ones (persisted data) are brought up to date.
 */
export async function deployResources(model: LocalModel, dynamo: DynamoDbLocal, fauxqs: FauxqsEngine): Promise<void> {
  await deployTables(dynamo.client, model.tables);
  model.resolveQueues();
  await deployQueues(fauxqs.sqs, model.queues);
  for (const bucket of model.buckets) await ensureBucket(fauxqs.s3, bucket);
}
