import type { AssemblyStack, TemplateResource } from '../assembly';
import { type ResourceValues, UnresolvableError } from '../intrinsics';
import type { LocalBucket, LocalCorsRule, LocalFunction, LocalQueue, LocalTable } from '../model';
import type { Resolve } from './stack-resolvers';
import { asNumber, localName, resourceKey, shortHash } from './template-values';

/** A WebSocket API found in the first pass; its routes are read once every function is known. */
export interface WebSocketApiResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: TemplateResource;
  readonly apiId: string;
}

/** An HTTP API found in the first pass; its routes are read once every function is known. */
export type HttpApiResource = WebSocketApiResource;

/** What the first pass finds in the templates. */
export interface TemplateResources {
  readonly functions: Map<string, LocalFunction>;
  readonly tables: LocalTable[];
  readonly queues: LocalQueue[];
  readonly buckets: LocalBucket[];
  readonly apis: WebSocketApiResource[];
  readonly httpApis: HttpApiResource[];
}

/** One resource of a template, as each reader sees it. */
interface ResourceInTemplate {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
  readonly key: string;
  readonly props: Record<string, unknown>;
  readonly region: string;
  readonly accountId: string;
  readonly sqsEndpoint: string;
  /** The name the template gives in `prop`, or the one CloudFormation would choose. */
  named(prop: string, max: number): string;
}

function readTable(r: ResourceInTemplate): { table: LocalTable; values: ResourceValues } {
  const { key, props, region, accountId } = r;
  const tableName = r.named('TableName', 255);
  const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;
  const ttl = props['TimeToLiveSpecification'] as { AttributeName?: string; Enabled?: boolean } | undefined;
  const stream = props['StreamSpecification'] as { StreamViewType?: LocalTable['streamViewType'] } | undefined;
  const table: LocalTable = {
    key,
    tableName,
    arn,
    keySchema: props['KeySchema'] as LocalTable['keySchema'],
    attributeDefinitions: props['AttributeDefinitions'] as LocalTable['attributeDefinitions'],
    globalSecondaryIndexes: (props['GlobalSecondaryIndexes'] ?? []) as LocalTable['globalSecondaryIndexes'],
    localSecondaryIndexes: (props['LocalSecondaryIndexes'] ?? []) as LocalTable['localSecondaryIndexes'],
    ...(stream?.StreamViewType ? { streamViewType: stream.StreamViewType } : {}),
    ...(ttl?.Enabled !== false && ttl?.AttributeName ? { ttlAttribute: ttl.AttributeName } : {}),
  };
  const values: ResourceValues = {
    ref: tableName,
    attributes: {
      Arn: arn,
      // Known only once DynamoDB Local has created the table.
      StreamArn: () => {
        if (!table.streamArn) throw new UnresolvableError(`Table ${tableName} has no stream`);
        return table.streamArn;
      },
    },
  };
  return { table, values };
}

function readQueue(r: ResourceInTemplate): { queue: LocalQueue; values: ResourceValues } {
  const { key, props, region, accountId } = r;
  const fifo = String(props['FifoQueue']) === 'true';
  let name = r.named('QueueName', fifo ? 75 : 80);
  if (fifo && !name.endsWith('.fifo')) name += '.fifo';
  const url = `${r.sqsEndpoint}/${accountId}/${name}`;
  const arn = `arn:aws:sqs:${region}:${accountId}:${name}`;
  return {
    queue: { key, name, url, arn, fifo, attributes: {}, rawProperties: props },
    values: { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } },
  };
}

function readBucket(r: ResourceInTemplate): { bucket: LocalBucket; values: ResourceValues } {
  const { region } = r;
  const name = r.named('BucketName', 63).toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  const cors = (r.props['CorsConfiguration'] as { CorsRules?: LocalCorsRule[] } | undefined)?.CorsRules ?? [];
  return {
    bucket: { key: r.key, name, cors },
    values: {
      ref: name,
      attributes: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
        DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
      },
    },
  };
}

/** A function with bundled code in the assembly; `fn` is undefined for inline or container code. */
function readFunction(r: ResourceInTemplate): { fn: LocalFunction | undefined; values: ResourceValues } {
  const { key, props, stack, logicalId } = r;
  const functionName = r.named('FunctionName', 64);
  const arn = `arn:aws:lambda:${r.region}:${r.accountId}:function:${functionName}`;
  const values = { ref: functionName, attributes: { Arn: arn } };
  const code = (props['Code'] ?? {}) as { S3Key?: unknown };
  const hash = typeof code.S3Key === 'string' ? code.S3Key.replace(/\.zip$/, '') : undefined;
  const codeDir = hash ? stack.assets.get(hash) : undefined;
  // Inline or container code is not runnable locally (CDK's own helper functions).
  if (!codeDir) return { fn: undefined, values };
  const fn: LocalFunction = {
    key,
    logicalId,
    stackName: stack.stackName,
    functionName,
    arn,
    codeDir,
    handler: String(props['Handler'] ?? 'index.handler'),
    timeoutSeconds: asNumber(props['Timeout'], 3),
    memoryMb: asNumber(props['MemorySize'], 128),
    ...(props['ReservedConcurrentExecutions'] !== undefined
      ? { reservedConcurrency: Number(props['ReservedConcurrentExecutions']) }
      : {}),
    environment: {},
    rawEnvironment: (props['Environment'] as { Variables?: unknown } | undefined)?.Variables ?? {},
  };
  return { fn, values };
}

/** An API Gateway v2 API, WebSocket or HTTP by its ProtocolType; undefined, with no values, for anything else. */
function readApi(
  r: ResourceInTemplate,
): { kind: 'websocket' | 'http'; api: WebSocketApiResource; values: ResourceValues } | undefined {
  const protocol = r.props['ProtocolType'];
  if (protocol !== 'WEBSOCKET' && protocol !== 'HTTP') return undefined;
  const apiId = shortHash(r.key);
  const scheme = protocol === 'WEBSOCKET' ? 'wss' : 'https';
  return {
    kind: protocol === 'WEBSOCKET' ? 'websocket' : 'http',
    api: { stackName: r.stack.stackName, logicalId: r.logicalId, resource: r.resource, apiId },
    values: {
      ref: apiId,
      attributes: { ApiId: apiId, ApiEndpoint: `${scheme}://${apiId}.execute-api.${r.region}.amazonaws.com` },
    },
  };
}

const roleValues = ({ logicalId, accountId }: ResourceInTemplate): ResourceValues => ({
  ref: logicalId,
  attributes: { Arn: `arn:aws:iam::${accountId}:role/${logicalId}`, RoleId: logicalId },
});

/** Any other resource: its logical id, and a made-up ARN for each attribute asked for. */
const placeholderValues = ({ logicalId, region, accountId }: ResourceInTemplate): ResourceValues => ({
  ref: logicalId,
  attributes: new Proxy({} as Record<string, string>, {
    get: (_t, attribute) => `arn:aws:local:${region}:${accountId}:${logicalId}/${String(attribute)}`,
  }),
});

/**
 * The first pass over the templates: names, ARNs and `Ref` values, which
 * never depend on resources read later, recorded in `values` as it goes.
 */
export function readTemplateResources(
  stacks: readonly AssemblyStack[],
  context: {
    readonly region: string;
    readonly accountId: string;
    readonly sqsEndpoint: string;
    readonly resolverOf: (stackName: string) => Resolve;
    readonly values: Map<string, ResourceValues>;
  },
): TemplateResources {
  const found: TemplateResources = { functions: new Map(), tables: [], queues: [], buckets: [], apis: [], httpApis: [] };
  const { values } = context;
  for (const stack of stacks) {
    const { stackName, template } = stack;
    const resolve = context.resolverOf(stackName);
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const props = resource.Properties ?? {};
      const r: ResourceInTemplate = {
        region: context.region,
        accountId: context.accountId,
        sqsEndpoint: context.sqsEndpoint,
        stack,
        logicalId,
        resource,
        key: resourceKey(stackName, logicalId),
        props,
        named: (prop, max) =>
          props[prop] !== undefined ? String(resolve(props[prop])) : localName(stackName, logicalId, max),
      };
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table':
        case 'AWS::DynamoDB::GlobalTable': {
          const { table, values: tableValues } = readTable(r);
          found.tables.push(table);
          values.set(r.key, tableValues);
          break;
        }
        case 'AWS::SQS::Queue': {
          const { queue, values: queueValues } = readQueue(r);
          found.queues.push(queue);
          values.set(r.key, queueValues);
          break;
        }
        case 'AWS::S3::Bucket': {
          const { bucket, values: bucketValues } = readBucket(r);
          found.buckets.push(bucket);
          values.set(r.key, bucketValues);
          break;
        }
        case 'AWS::Lambda::Function': {
          const { fn, values: functionValues } = readFunction(r);
          values.set(r.key, functionValues);
          if (fn) found.functions.set(r.key, fn);
          break;
        }
        case 'AWS::ApiGatewayV2::Api': {
          const read = readApi(r);
          if (!read) break;
          (read.kind === 'websocket' ? found.apis : found.httpApis).push(read.api);
          values.set(r.key, read.values);
          break;
        }
        case 'AWS::IAM::Role':
          values.set(r.key, roleValues(r));
          break;
        default:
          values.set(r.key, placeholderValues(r));
      }
    }
  }
  return found;
}
