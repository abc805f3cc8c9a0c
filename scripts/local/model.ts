/**
 * The local view of the synthesized app: every resource the runtime runs,
 * read from the templates alone. Adding a route, a table, a queue or an
 * event source mapping in lib/ changes this model and nothing else.
 * `buildModel` (model/build-model.ts) reads it, one resource kind at a time.
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
  /** The bucket's CORS rules as the template sets them (`CorsConfiguration.CorsRules`); none answers no browser. */
  readonly cors: readonly LocalCorsRule[];
}

/** One S3 CORS rule, in the template's shape. */
export interface LocalCorsRule {
  readonly AllowedOrigins: readonly string[];
  readonly AllowedMethods: readonly string[];
  readonly AllowedHeaders?: readonly string[];
  readonly ExposedHeaders?: readonly string[];
  readonly MaxAge?: number;
}

/** A bucket notification to an SQS queue, as the template configures it. */
export interface LocalBucketNotification {
  readonly id: string;
  readonly bucket: string;
  readonly queueArn: string;
  /** S3 event types, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
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

/** One route of an HTTP API: `GET /v1/rooms/{roomId}`, `ANY /{proxy+}` or `$default`. */
export interface LocalHttpRoute {
  readonly routeKey: string;
  /** `ANY` for any method; absent for `$default`. */
  readonly method?: string;
  /** The path template; absent for `$default`. */
  readonly path?: string;
  readonly functionKey?: string;
  /** The integration's payload format (`2.0` or `1.0`). */
  readonly payloadFormatVersion: string;
}

/** An HTTP API's CORS configuration, as the template sets it (`CorsConfiguration`). */
export interface LocalHttpCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

export interface LocalHttpApi {
  readonly key: string;
  readonly apiId: string;
  readonly name: string;
  /** `$default` serves at the root; any other stage under `/<stage>`. */
  readonly stage: string;
  readonly routes: readonly LocalHttpRoute[];
  readonly cors?: LocalHttpCors;
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
  readonly httpApis: readonly LocalHttpApi[];
  readonly eventSourceMappings: readonly LocalEventSourceMapping[];
  /** Bucket notifications to queues, which the runtime sends itself (fauxqs sends none). */
  readonly bucketNotifications: readonly LocalBucketNotification[];
  functionByArn(arn: string): LocalFunction | undefined;
  queueByArn(arn: string): LocalQueue | undefined;
  tableByStreamArn(arn: string): LocalTable | undefined;
  /** Resolves every function's environment; call once tables and queues exist. */
  resolveEnvironments(rewrite: (value: string) => string): void;
  /** Resolves queue attributes (redrive policies point at other queues). */
  resolveQueues(): void;
}
