import { createHash } from 'node:crypto';
import type { AssemblyStack, TemplateResource } from './assembly';
import { createResolver, type ResourceValues, UnresolvableError } from './intrinsics';

/**
 * The local view of the synthesized app: every resource the runtime runs,
 * read from the templates alone. Adding a route, a table, a queue or an
 * event source mapping in lib/ changes this model and nothing else.
 */
export interface LocalFunction {
  readonly key: string;
  readonly logicalId: string;
  readonly stackName: string;
  readonly functionName: string;
  readonly arn: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly reservedConcurrency?: number;
  /** Resolved Environment.Variables; filled by `resolveEnvironments`. */
  environment: Record<string, string>;
  readonly rawEnvironment: unknown;
}

export interface LocalTable {
  readonly key: string;
  readonly tableName: string;
  readonly arn: string;
  readonly keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  readonly attributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  readonly globalSecondaryIndexes: Array<{
    IndexName: string;
    KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
    Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }>;
  readonly localSecondaryIndexes: LocalTable['globalSecondaryIndexes'];
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  readonly ttlAttribute?: string;
  /** The stream's ARN in DynamoDB Local; set once the table exists. */
  streamArn?: string;
}

export interface LocalQueue {
  readonly key: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  /** SQS attributes (VisibilityTimeout, RedrivePolicy…); filled by `resolveQueues`. */
  attributes: Record<string, string>;
  readonly rawProperties: Record<string, unknown>;
}

export interface LocalBucket {
  readonly key: string;
  readonly name: string;
}

export interface LocalAuthorizer {
  readonly name: string;
  readonly functionKey: string;
  /** e.g. `route.request.querystring.token`; a missing source means 401 without a call. */
  readonly identitySource: readonly string[];
}

export interface LocalRoute {
  readonly routeKey: string;
  readonly functionKey?: string;
  /** Two-way route: the integration's response body goes back to the caller. */
  readonly returnResponse: boolean;
  readonly authorizer?: LocalAuthorizer;
}

export interface LocalWebSocketApi {
  readonly key: string;
  readonly apiId: string;
  readonly name: string;
  readonly routeSelectionExpression: string;
  readonly stage: string;
  readonly routes: ReadonlyMap<string, LocalRoute>;
}

export interface LocalEventSourceMapping {
  readonly id: string;
  readonly functionKey: string;
  readonly kind: 'dynamodb' | 'sqs';
  readonly sourceArn: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Filter patterns (JSON), any of which lets a record through. */
  readonly filterPatterns: readonly unknown[];
  readonly bisectOnError: boolean;
  readonly reportBatchItemFailures: boolean;
  /** -1: retry until the record expires, as AWS does by default. */
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly onFailureArn?: string;
  readonly enabled: boolean;
  readonly maximumConcurrency?: number;
  /** Concurrent batches per stream shard, records of one partition key kept in order (1–10). */
  readonly parallelizationFactor: number;
}

export interface LocalModel {
  readonly region: string;
  readonly accountId: string;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly tables: readonly LocalTable[];
  readonly queues: readonly LocalQueue[];
  readonly buckets: readonly LocalBucket[];
  readonly webSocketApis: readonly LocalWebSocketApi[];
  readonly eventSourceMappings: readonly LocalEventSourceMapping[];
  functionByArn(arn: string): LocalFunction | undefined;
  queueByArn(arn: string): LocalQueue | undefined;
  tableByStreamArn(arn: string): LocalTable | undefined;
  /** Resolves every function's environment; call once tables and queues exist. */
  resolveEnvironments(rewrite: (value: string) => string): void;
  /** Resolves queue attributes (redrive policies point at other queues). */
  resolveQueues(): void;
}

export interface ModelOptions {
  readonly region: string;
  readonly accountId: string;
  /** Base URL of the local SQS engine; queue URLs are built on it. */
  readonly sqsEndpoint: string;
}

const shortHash = (text: string, length = 10): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

const localName = (stackName: string, logicalId: string, max: number): string => {
  const name = `${stackName}-${logicalId}`;
  return name.length <= max ? name : `${name.slice(0, max - 9)}-${shortHash(name, 8)}`;
};

const asNumber = (value: unknown, fallback: number): number =>
  value === undefined || value === null || value === '' ? fallback : Number(value);

/** Builds the local model of a synthesized app. */
export function buildModel(stacks: readonly AssemblyStack[], options: ModelOptions): LocalModel {
  const { region, accountId } = options;
  const values = new Map<string, ResourceValues>();
  const resolvers = new Map<string, (value: unknown) => unknown>();
  const keyOf = (stackName: string, logicalId: string) => `${stackName}/${logicalId}`;

  const functions = new Map<string, LocalFunction>();
  const tables: LocalTable[] = [];
  const queues: LocalQueue[] = [];
  const buckets: LocalBucket[] = [];
  const apis: Array<{ stackName: string; logicalId: string; resource: TemplateResource; apiId: string }> = [];

  const resolverOf = (stackName: string) => {
    const resolver = resolvers.get(stackName);
    if (!resolver) throw new Error(`No stack ${stackName}`);
    return resolver;
  };

  const importValue = (name: string): unknown => {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export && resolverOf(stack.stackName)(output.Export.Name) === name) {
          return resolverOf(stack.stackName)(output.Value);
        }
      }
    }
    throw new UnresolvableError(`No stack exports ${name}`);
  };

  for (const stack of stacks) {
    const { stackName, template } = stack;
    resolvers.set(
      stackName,
      createResolver({
        stackName,
        template,
        region,
        accountId,
        resource: (logicalId) => values.get(keyOf(stackName, logicalId)),
        importValue,
      }),
    );
  }

  // First pass: names, ARNs and Ref values, which never depend on other resources.
  for (const stack of stacks) {
    const { stackName, template } = stack;
    const resolve = resolverOf(stackName);
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const key = keyOf(stackName, logicalId);
      const props = resource.Properties ?? {};
      const named = (prop: string, max: number): string =>
        props[prop] !== undefined ? String(resolve(props[prop])) : localName(stackName, logicalId, max);
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table':
        case 'AWS::DynamoDB::GlobalTable': {
          const tableName = named('TableName', 255);
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
          tables.push(table);
          values.set(key, {
            ref: tableName,
            attributes: {
              Arn: arn,
              StreamArn: () => {
                if (!table.streamArn) throw new UnresolvableError(`Table ${tableName} has no stream`);
                return table.streamArn;
              },
            },
          });
          break;
        }
        case 'AWS::SQS::Queue': {
          const fifo = String(props['FifoQueue']) === 'true';
          let name = named('QueueName', fifo ? 75 : 80);
          if (fifo && !name.endsWith('.fifo')) name += '.fifo';
          const url = `${options.sqsEndpoint}/${accountId}/${name}`;
          const arn = `arn:aws:sqs:${region}:${accountId}:${name}`;
          queues.push({ key, name, url, arn, fifo, attributes: {}, rawProperties: props });
          values.set(key, { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } });
          break;
        }
        case 'AWS::S3::Bucket': {
          const name = named('BucketName', 63).toLowerCase().replace(/[^a-z0-9.-]/g, '-');
          buckets.push({ key, name });
          values.set(key, {
            ref: name,
            attributes: {
              Arn: `arn:aws:s3:::${name}`,
              DomainName: `${name}.s3.amazonaws.com`,
              RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
              DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
              WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
            },
          });
          break;
        }
        case 'AWS::Lambda::Function': {
          const functionName = named('FunctionName', 64);
          const arn = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
          values.set(key, { ref: functionName, attributes: { Arn: arn } });
          const code = (props['Code'] ?? {}) as { S3Key?: unknown };
          const hash = typeof code.S3Key === 'string' ? code.S3Key.replace(/\.zip$/, '') : undefined;
          const codeDir = hash ? stack.assets.get(hash) : undefined;
          if (!codeDir) break; // inline or container code: not runnable locally (CDK's own helper functions)
          functions.set(key, {
            key,
            logicalId,
            stackName,
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
          });
          break;
        }
        case 'AWS::ApiGatewayV2::Api': {
          if (props['ProtocolType'] !== 'WEBSOCKET') break;
          const apiId = shortHash(key);
          apis.push({ stackName, logicalId, resource, apiId });
          values.set(key, {
            ref: apiId,
            attributes: { ApiId: apiId, ApiEndpoint: `wss://${apiId}.execute-api.${region}.amazonaws.com` },
          });
          break;
        }
        case 'AWS::IAM::Role':
          values.set(key, {
            ref: logicalId,
            attributes: { Arn: `arn:aws:iam::${accountId}:role/${logicalId}`, RoleId: logicalId },
          });
          break;
        default:
          values.set(key, {
            ref: logicalId,
            attributes: new Proxy({} as Record<string, string>, {
              get: (_t, attribute) => `arn:aws:local:${region}:${accountId}:${logicalId}/${String(attribute)}`,
            }),
          });
      }
    }
  }

  const byArn = new Map([...functions.values()].map((f) => [f.arn, f]));
  // Integration URIs embed the function ARN: arn:aws:apigateway:…/functions/<arn>/invocations
  const functionInUri = (uri: string): LocalFunction | undefined => {
    const match = /functions\/(arn:[^/]+)\/invocations/.exec(uri);
    return match ? byArn.get(match[1] as string) : byArn.get(uri);
  };

  const webSocketApis: LocalWebSocketApi[] = apis.map(({ stackName, logicalId, resource, apiId }) => {
    const resolve = resolverOf(stackName);
    const resources = Object.entries(stacks.find((s) => s.stackName === stackName)?.template.Resources ?? {});
    const ofApi = (type: string) =>
      resources.filter(
        ([, r]) =>
          r.Type === type && (r.Properties?.['ApiId'] as { Ref?: string } | undefined)?.Ref === logicalId,
      );
    const integrations = new Map(
      ofApi('AWS::ApiGatewayV2::Integration').map(([id, r]) => [
        id,
        functionInUri(String(resolve(r.Properties?.['IntegrationUri'] ?? ''))),
      ]),
    );
    const authorizers = new Map(
      ofApi('AWS::ApiGatewayV2::Authorizer').map(([id, r]): [string, LocalAuthorizer | undefined] => {
        const fn = functionInUri(String(resolve(r.Properties?.['AuthorizerUri'] ?? '')));
        return [
          id,
          fn
            ? {
                name: String(r.Properties?.['Name'] ?? id),
                functionKey: fn.key,
                identitySource: (r.Properties?.['IdentitySource'] ?? []) as string[],
              }
            : undefined,
        ];
      }),
    );
    const withResponse = new Set(
      ofApi('AWS::ApiGatewayV2::RouteResponse').map(
        ([, r]) => (r.Properties?.['RouteId'] as { Ref?: string } | undefined)?.Ref,
      ),
    );
    const routes = new Map<string, LocalRoute>();
    for (const [id, r] of ofApi('AWS::ApiGatewayV2::Route')) {
      const props = r.Properties ?? {};
      const target = String(resolve(props['Target'] ?? ''));
      const integrationId = target.replace(/^integrations\//, '');
      const fn = integrations.get(integrationId);
      const authorizerId = (props['AuthorizerId'] as { Ref?: string } | undefined)?.Ref;
      const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
      const routeKey = String(props['RouteKey']);
      routes.set(routeKey, {
        routeKey,
        ...(fn ? { functionKey: fn.key } : {}),
        returnResponse: withResponse.has(id) || props['RouteResponseSelectionExpression'] !== undefined,
        ...(authorizer ? { authorizer } : {}),
      });
    }
    const stage = ofApi('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties?.['StageName'];
    return {
      key: keyOf(stackName, logicalId),
      apiId,
      name: String(resource.Properties?.['Name'] ?? logicalId),
      routeSelectionExpression: String(resource.Properties?.['RouteSelectionExpression'] ?? '$request.body.action'),
      stage: stage === undefined ? '$default' : String(resolve(stage)),
      routes,
    };
  });

  const queueByArn = (arn: string) => queues.find((q) => q.arn === arn);
  const tableByStreamArn = (arn: string) => tables.find((t) => t.streamArn === arn);

  // Mappings are read lazily: their source ARNs (streams) exist only once tables do.
  const mappings: LocalEventSourceMapping[] = [];
  let mappingsRead = false;
  const readMappings = (): void => {
    if (mappingsRead) return;
    mappingsRead = true;
    for (const stack of stacks) {
      const resolve = resolverOf(stack.stackName);
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
        const props = resolve(resource.Properties ?? {}) as Record<string, unknown>;
        const fnName = String(props['FunctionName']);
        const fn = [...functions.values()].find((f) => f.functionName === fnName || f.arn === fnName);
        const sourceArn = String(props['EventSourceArn'] ?? '');
        const kind = sourceArn.startsWith('arn:aws:sqs:')
          ? 'sqs'
          : sourceArn.includes(':dynamodb:') || sourceArn.includes('/stream/')
            ? 'dynamodb'
            : undefined;
        if (!fn || !kind) continue; // Kinesis, Kafka, MQ: not emulated
        const filters = ((props['FilterCriteria'] as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ??
          []) as Array<{ Pattern: string }>;
        const onFailure = (props['DestinationConfig'] as { OnFailure?: { Destination?: string } } | undefined)
          ?.OnFailure?.Destination;
        const scaling = props['ScalingConfig'] as { MaximumConcurrency?: number } | undefined;
        mappings.push({
          id: `${stack.stackName}/${logicalId}`,
          functionKey: fn.key,
          kind,
          sourceArn,
          batchSize: asNumber(props['BatchSize'], kind === 'sqs' ? 10 : 100),
          batchingWindowSeconds: asNumber(props['MaximumBatchingWindowInSeconds'], 0),
          startingPosition: props['StartingPosition'] === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
          filterPatterns: filters.map((f) => JSON.parse(f.Pattern) as unknown),
          bisectOnError: props['BisectBatchOnFunctionError'] === true || props['BisectBatchOnFunctionError'] === 'true',
          reportBatchItemFailures: ((props['FunctionResponseTypes'] ?? []) as string[]).includes(
            'ReportBatchItemFailures',
          ),
          maximumRetryAttempts: asNumber(props['MaximumRetryAttempts'], -1),
          maximumRecordAgeSeconds: asNumber(props['MaximumRecordAgeInSeconds'], -1),
          ...(onFailure ? { onFailureArn: onFailure } : {}),
          enabled: props['Enabled'] !== false && props['Enabled'] !== 'false',
          ...(scaling?.MaximumConcurrency ? { maximumConcurrency: scaling.MaximumConcurrency } : {}),
          parallelizationFactor: Math.min(10, Math.max(1, asNumber(props['ParallelizationFactor'], 1))),
        });
      }
    }
  };

  return {
    region,
    accountId,
    functions,
    tables,
    queues,
    buckets,
    webSocketApis,
    get eventSourceMappings() {
      readMappings();
      return mappings;
    },
    functionByArn: (arn) => byArn.get(arn),
    queueByArn,
    tableByStreamArn,
    resolveEnvironments(rewrite) {
      for (const fn of functions.values()) {
        const resolved = resolverOf(fn.stackName)(fn.rawEnvironment) as Record<string, unknown>;
        fn.environment = Object.fromEntries(
          Object.entries(resolved).map(([k, v]) => [k, rewrite(typeof v === 'string' ? v : JSON.stringify(v))]),
        );
      }
    },
    resolveQueues() {
      for (const queue of queues) {
        const props = resolverOf(queue.key.split('/')[0] as string)(queue.rawProperties) as Record<string, unknown>;
        const attributes: Record<string, string> = {};
        for (const name of [
          'VisibilityTimeout',
          'MessageRetentionPeriod',
          'DelaySeconds',
          'MaximumMessageSize',
          'ReceiveMessageWaitTimeSeconds',
          'ContentBasedDeduplication',
          'DeduplicationScope',
          'FifoThroughputLimit',
        ]) {
          if (props[name] !== undefined) attributes[name] = String(props[name]);
        }
        if (queue.fifo) attributes['FifoQueue'] = 'true';
        if (props['RedrivePolicy']) attributes['RedrivePolicy'] = JSON.stringify(props['RedrivePolicy']);
        queue.attributes = attributes;
      }
    },
  };
}
