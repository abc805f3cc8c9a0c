import type { AssemblyStack } from '../assembly';
import type { ResourceValues } from '../intrinsics';
import type { LocalEventSourceMapping, LocalFunction, LocalModel, LocalQueue } from '../model';
import { readBucketNotifications } from './bucket-notifications';
import { readEventSourceMappings } from './event-source-mappings';
import { readTemplateResources } from './resources';
import { createStackResolvers, type Resolve } from './stack-resolvers';
import { readHttpApi } from './http-apis';
import { functionInUriOf, readWebSocketApi } from './websocket-apis';

export interface ModelOptions {
  readonly region: string;
  readonly accountId: string;
  /** Base URL of the local SQS engine; queue URLs are built on it. */
  readonly sqsEndpoint: string;
}

/** The SQS attributes the template sets; a redrive policy names another queue, so it resolves late. */
const QUEUE_ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

function queueAttributes(queue: LocalQueue, resolve: Resolve): Record<string, string> {
  const props = resolve(queue.rawProperties) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTES) {
    if (props[name] !== undefined) attributes[name] = String(props[name]);
  }
  if (queue.fifo) attributes['FifoQueue'] = 'true';
  if (props['RedrivePolicy']) attributes['RedrivePolicy'] = JSON.stringify(props['RedrivePolicy']);
  return attributes;
}

/** A function's Environment.Variables, resolved, each value through `rewrite`. */
function functionEnvironment(fn: LocalFunction, resolve: Resolve, rewrite: (value: string) => string) {
  const resolved = resolve(fn.rawEnvironment) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(resolved).map(([k, v]) => [k, rewrite(typeof v === 'string' ? v : JSON.stringify(v))]),
  );
}

/** Builds the local model of a synthesized app. */
export function buildModel(stacks: readonly AssemblyStack[], options: ModelOptions): LocalModel {
  const { region, accountId } = options;
  const values = new Map<string, ResourceValues>();
  const resolverOf = createStackResolvers(stacks, values, { region, accountId });
  const { functions, tables, queues, buckets, apis, httpApis } = readTemplateResources(stacks, {
    region,
    accountId,
    sqsEndpoint: options.sqsEndpoint,
    resolverOf,
    values,
  });
  const byArn = new Map([...functions.values()].map((f) => [f.arn, f]));
  const functionInUri = functionInUriOf(byArn);
  const webSocketApis = apis.map((api) => readWebSocketApi(api, stacks, resolverOf(api.stackName), functionInUri));
  const localHttpApis = httpApis.map((api) => readHttpApi(api, stacks, resolverOf(api.stackName), functionInUri));
  // Read lazily: their source ARNs (streams) exist only once tables do.
  let mappings: LocalEventSourceMapping[] | undefined;
  const bucketNotifications = readBucketNotifications(stacks, resolverOf);

  return {
    region,
    accountId,
    functions,
    tables,
    queues,
    buckets,
    webSocketApis,
    httpApis: localHttpApis,
    get eventSourceMappings() {
      return (mappings ??= readEventSourceMappings(stacks, functions, resolverOf));
    },
    bucketNotifications,
    functionByArn: (arn) => byArn.get(arn),
    queueByArn: (arn) => queues.find((q) => q.arn === arn),
    tableByStreamArn: (arn) => tables.find((t) => t.streamArn === arn),
    resolveEnvironments(rewrite) {
      for (const fn of functions.values()) fn.environment = functionEnvironment(fn, resolverOf(fn.stackName), rewrite);
    },
    resolveQueues() {
      for (const queue of queues) queue.attributes = queueAttributes(queue, resolverOf(queue.key.split('/')[0] as string));
    },
  };
}
