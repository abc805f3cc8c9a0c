import type { AssemblyStack } from '../assembly';
import type { LocalBucketNotification } from '../model';
import type { Resolve } from './stack-resolvers';

interface QueueConfiguration {
  readonly Events?: unknown;
  readonly Queue?: unknown;
  readonly QueueArn?: unknown;
  readonly Filter?: { readonly Key?: { readonly FilterRules?: ReadonlyArray<{ Name?: unknown; Value?: unknown }> }; readonly S3Key?: { readonly Rules?: ReadonlyArray<{ Name?: unknown; Value?: unknown }> } };
}

/** The prefix and suffix rules of one configuration (S3 names them `prefix`/`suffix`, any case). */
function filterOf(config: QueueConfiguration): Pick<LocalBucketNotification, 'prefix' | 'suffix'> {
  const rules = config.Filter?.Key?.FilterRules ?? config.Filter?.S3Key?.Rules ?? [];
  const rule = (name: string) => rules.find((r) => String(r.Name).toLowerCase() === name)?.Value;
  const prefix = rule('prefix');
  const suffix = rule('suffix');
  return {
    ...(typeof prefix === 'string' ? { prefix } : {}),
    ...(typeof suffix === 'string' ? { suffix } : {}),
  };
}

function queueNotifications(bucket: string, configuration: unknown, key: string): LocalBucketNotification[] {
  const queues = ((configuration as { QueueConfigurations?: unknown } | undefined)?.QueueConfigurations ?? []) as QueueConfiguration[];
  return queues.flatMap((config, index): LocalBucketNotification[] => {
    const queueArn = config.QueueArn ?? config.Queue;
    if (typeof queueArn !== 'string') return [];
    const events = Array.isArray(config.Events) ? config.Events.map(String) : [];
    return [{ id: `${key}#${index}`, bucket, queueArn, events, ...filterOf(config) }];
  });
}

/**
 * The bucket notifications to SQS that the templates configure: CDK's
 * `Custom::S3BucketNotifications` resources (what `bucket.addEventNotification`
 * synthesizes: a custom resource sets the configuration at deployment) and
 * any bucket's own `NotificationConfiguration`. fauxqs sends no S3 events;
 * the local runtime sends them itself, from these (engines/s3-events.ts).
 */
export function readBucketNotifications(
  stacks: readonly AssemblyStack[],
  resolverOf: (stackName: string) => Resolve,
): LocalBucketNotification[] {
  const found: LocalBucketNotification[] = [];
  for (const stack of stacks) {
    const resolve = resolverOf(stack.stackName);
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const key = `${stack.stackName}/${logicalId}`;
      if (resource.Type === 'Custom::S3BucketNotifications') {
        const props = resolve(resource.Properties ?? {}) as { BucketName?: unknown; NotificationConfiguration?: unknown };
        if (typeof props.BucketName === 'string') found.push(...queueNotifications(props.BucketName, props.NotificationConfiguration, key));
      } else if (resource.Type === 'AWS::S3::Bucket' && resource.Properties?.['NotificationConfiguration'] !== undefined) {
        const bucket = resolve({ Ref: logicalId });
        const configuration = resolve(resource.Properties['NotificationConfiguration']);
        if (typeof bucket === 'string') found.push(...queueNotifications(bucket, configuration, key));
      }
    }
  }
  return found;
}
