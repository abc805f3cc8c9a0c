import { SqsFanOutQueue } from '../adapters/sqs/fan-out-queue';
import { DEFAULT_FAN_OUT_SHARD_SIZE, DEFAULT_FAN_OUT_THRESHOLD, type FanOutSettings } from '../domain/fan-out';
import { currentTraceHeader } from '../shared/observability';
import type { FanOutDeps } from '../use-cases/delivery/deliver-message';
import { sqsClient } from './clients';
import { FAN_OUT_ENV, intEnv, requireEnv } from './env';

/**
 * Sharded fan-out's wiring, from the variables the producer's and the
 * worker's bindings set. Each job carries the enqueuing trace's header (when
 * tracing is on), so the worker's trace links back to the message's send.
 */
export const fanOutQueue = () => new SqsFanOutQueue(sqsClient(), requireEnv(FAN_OUT_ENV.queueUrl), currentTraceHeader);

export const fanOutSettings = (): FanOutSettings => ({
  threshold: intEnv(FAN_OUT_ENV.shardThreshold, DEFAULT_FAN_OUT_THRESHOLD),
  shardSize: intEnv(FAN_OUT_ENV.shardSize, DEFAULT_FAN_OUT_SHARD_SIZE),
});

/** What sendMessage needs to hand a large room's message to the workers. */
export const fanOutDeps = (): FanOutDeps => ({ queue: fanOutQueue(), settings: fanOutSettings() });
