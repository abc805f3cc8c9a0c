import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../engines/credentials';
import { FunctionInvocationError, type FunctionPool } from '../functions/function-pool';
import type { LocalEventSourceMapping, LocalModel } from '../model';
import { QueuePoller } from './queue-poller';
import { StreamPoller } from './stream-poller';
import type { BatchInvoker, BatchLogEntry, FailureDestination } from './types';

export interface EventSourceOptions {
  readonly model: LocalModel;
  readonly functions: FunctionPool;
  readonly region: string;
  readonly dynamoDbEndpoint: string;
  readonly sqs: SQSClient;
  readonly sendToFailureDestination: FailureDestination;
  /** Folder for stream checkpoints; absent in memory, where a restart starts afresh anyway. */
  readonly checkpointDir?: string;
  /** Caps a queue mapping's concurrency, as the function's instances do. */
  readonly maxInstancesPerFunction: number;
  readonly onBatch?: (entry: BatchLogEntry) => void;
}

export interface RunningEventSources {
  /** Stops every poller once its current batch is done. */
  stop(): Promise<void>;
}

interface Poller {
  start(): void;
  stop(): Promise<void>;
}

/** Invokes a function with a batch and reports the outcome as Lambda's pollers see it. */
const batchInvoker =
  (functions: FunctionPool, functionKey: string): BatchInvoker =>
  async (event) => {
    try {
      const invocation = await functions.invoke(functionKey, event);
      return { ok: true, result: invocation.result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const kind = error instanceof FunctionInvocationError ? error.kind : 'error';
      return { ok: false, error: kind === 'timeout' ? 'timeout' : `error: ${message}`, errorType: 'Unhandled' };
    }
  };

/** A stream record's partition key: the table's HASH attribute in its Keys. */
const partitionKeyOf = (model: LocalModel, streamArn: string) => {
  const table = model.tableByStreamArn(streamArn);
  const hashKey = table?.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  return (record: { readonly dynamodb: Record<string, unknown> }) => {
    const keys = record.dynamodb['Keys'] as Record<string, unknown> | undefined;
    return JSON.stringify(hashKey ? keys?.[hashKey] : keys);
  };
};

function streamPoller(
  mapping: LocalEventSourceMapping,
  streams: DynamoDBStreamsClient,
  options: EventSourceOptions,
): Poller {
  const { checkpointDir, onBatch } = options;
  return new StreamPoller({
    mapping,
    client: streams,
    region: options.region,
    invoke: batchInvoker(options.functions, mapping.functionKey),
    sendToFailureDestination: options.sendToFailureDestination,
    partitionKeyOf: partitionKeyOf(options.model, mapping.sourceArn),
    ...(checkpointDir === undefined
      ? {}
      : { checkpointFile: join(checkpointDir, `${mapping.id.replace(/\W+/g, '-')}.json`) }),
    ...(onBatch ? { onBatch } : {}),
  });
}

/** A poller for a queue of the app; undefined when the mapping's source is no local queue. */
function queuePoller(mapping: LocalEventSourceMapping, options: EventSourceOptions): Poller | undefined {
  const queue = options.model.queueByArn(mapping.sourceArn);
  if (!queue) return undefined;
  const { onBatch } = options;
  return new QueuePoller({
    mapping,
    queue,
    sqs: options.sqs,
    region: options.region,
    invoke: batchInvoker(options.functions, mapping.functionKey),
    concurrency: Math.min(mapping.maximumConcurrency ?? 5, options.maxInstancesPerFunction),
    ...(onBatch ? { onBatch } : {}),
  });
}

/**
 * Runs the app's enabled event source mappings: a DynamoDB Streams poller or
 * an SQS poller for each, invoking its function with Lambda's semantics.
 */
export function startEventSources(options: EventSourceOptions): RunningEventSources {
  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamoDbEndpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const pollers: Poller[] = [];
  try {
    for (const mapping of options.model.eventSourceMappings) {
      if (!mapping.enabled) continue;
      const poller = mapping.kind === 'dynamodb' ? streamPoller(mapping, streams, options) : queuePoller(mapping, options);
      if (poller) pollers.push(poller);
    }
  } catch (error) {
    streams.destroy();
    throw error;
  }
  for (const poller of pollers) poller.start();
  return {
    stop: async () => {
      try {
        await Promise.all(pollers.map((p) => p.stop()));
      } finally {
        streams.destroy();
      }
    },
  };
}
