import type { AssemblyStack } from '../assembly';
import type { LocalEventSourceMapping, LocalFunction } from '../model';
import type { Resolve } from './stack-resolvers';
import { asNumber, resourceKey } from './template-values';

/** The source a mapping reads; undefined for Kinesis, Kafka and MQ, which are not emulated. */
const sourceKind = (sourceArn: string): LocalEventSourceMapping['kind'] | undefined =>
  sourceArn.startsWith('arn:aws:sqs:')
    ? 'sqs'
    : sourceArn.includes(':dynamodb:') || sourceArn.includes('/stream/')
      ? 'dynamodb'
      : undefined;

/** One mapping's resolved properties, with Lambda's defaults for what the template leaves out. */
function readMapping(
  id: string,
  fn: LocalFunction,
  kind: LocalEventSourceMapping['kind'],
  sourceArn: string,
  props: Record<string, unknown>,
): LocalEventSourceMapping {
  const filters = ((props['FilterCriteria'] as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ??
    []) as Array<{ Pattern: string }>;
  const onFailure = (props['DestinationConfig'] as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure
    ?.Destination;
  const scaling = props['ScalingConfig'] as { MaximumConcurrency?: number } | undefined;
  return {
    id,
    functionKey: fn.key,
    kind,
    sourceArn,
    batchSize: asNumber(props['BatchSize'], kind === 'sqs' ? 10 : 100),
    batchingWindowSeconds: asNumber(props['MaximumBatchingWindowInSeconds'], 0),
    startingPosition: props['StartingPosition'] === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
    filterPatterns: filters.map((f) => JSON.parse(f.Pattern) as unknown),
    bisectOnError: props['BisectBatchOnFunctionError'] === true || props['BisectBatchOnFunctionError'] === 'true',
    reportBatchItemFailures: ((props['FunctionResponseTypes'] ?? []) as string[]).includes('ReportBatchItemFailures'),
    maximumRetryAttempts: asNumber(props['MaximumRetryAttempts'], -1),
    maximumRecordAgeSeconds: asNumber(props['MaximumRecordAgeInSeconds'], -1),
    ...(onFailure ? { onFailureArn: onFailure } : {}),
    enabled: props['Enabled'] !== false && props['Enabled'] !== 'false',
    ...(scaling?.MaximumConcurrency ? { maximumConcurrency: scaling.MaximumConcurrency } : {}),
    parallelizationFactor: Math.min(10, Math.max(1, asNumber(props['ParallelizationFactor'], 1))),
  };
}

/**
 * Reads the event source mappings whose function runs locally and whose
 * source is a DynamoDB stream or an SQS queue. Call it once tables exist:
 * a stream's ARN is known only then.
 */
export function readEventSourceMappings(
  stacks: readonly AssemblyStack[],
  functions: ReadonlyMap<string, LocalFunction>,
  resolverOf: (stackName: string) => Resolve,
): LocalEventSourceMapping[] {
  const mappings: LocalEventSourceMapping[] = [];
  for (const stack of stacks) {
    const resolve = resolverOf(stack.stackName);
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const props = resolve(resource.Properties ?? {}) as Record<string, unknown>;
      const fnName = String(props['FunctionName']);
      const fn = [...functions.values()].find((f) => f.functionName === fnName || f.arn === fnName);
      const sourceArn = String(props['EventSourceArn'] ?? '');
      const kind = sourceKind(sourceArn);
      if (!fn || !kind) continue;
      mappings.push(readMapping(resourceKey(stack.stackName, logicalId), fn, kind, sourceArn, props));
    }
  }
  return mappings;
}
