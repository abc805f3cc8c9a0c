import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FAN_OUT_ENV } from '../lambdas/wiring/env';
import { FAN_OUT_WORKER_TIMEOUT } from './constructs/fan-out-queues';
import type { BindContext, FunctionSpec } from './function-spec';
import type { ParleyFunction } from './constructs/parley-function';

/** Jobs one worker invocation takes: a few shards of a few hundred posts each stay well within its timeout. */
export const FAN_OUT_BATCH_SIZE = 5;

/**
 * What sendMessage needs to hand a large room's message to the fan-out
 * workers: SendMessage on the fan-out queue, the threshold and the shard size.
 */
export function bindFanOutProducer(fn: ParleyFunction, { data, config }: BindContext): void {
  fn.bindFanOutQueue(data.fanOutQueues.jobs);
  fn.setEnvironment({
    [FAN_OUT_ENV.shardThreshold]: config.fanOutShardThreshold,
    [FAN_OUT_ENV.shardSize]: config.fanOutShardSize,
  });
}

/** Sharded fan-out's worker, behind the FIFO fan-out queue. */
export const FAN_OUT_FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'FanOutWorker',
    handlerFile: 'fan-out-worker',
    description: 'Delivers a large room’s messages in shards, from the fan-out queue',
    routes: [],
    timeout: FAN_OUT_WORKER_TIMEOUT,
    bind: (fn, { data, api, stage }) => {
      // A connection found gone (410) is removed with its subscriptions.
      fn.bindConnectionsTable(data.connectionsTable, { actions: ['DeleteItem', 'BatchWriteItem'] });
      fn.bindManagementApi(api, stage);
      // SendMessage: the retry of a shard's failed posts goes back on the queue as a job of its own.
      fn.bindFanOutQueue(data.fanOutQueues.jobs);
      fn.function.addEventSource(
        new SqsEventSource(data.fanOutQueues.jobs, { batchSize: FAN_OUT_BATCH_SIZE, reportBatchItemFailures: true }),
      );
    },
  },
];
