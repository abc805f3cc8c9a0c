import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { IWebSocketApi, IWebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROOMS_TABLE } from '../../lambdas/adapters/dynamodb/schema';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { FAILED_BATCH_PREFIX } from '../../lambdas/domain/retention/archive';
import { DOCUMENT_KEY_PREFIX } from '../../lambdas/domain/knowledge/documents';
import { ANALYTICS_EVENTS_PREFIX } from '../../lambdas/domain/events/analytics';
import { BY_POINTS_INDEX } from '../../lambdas/adapters/dynamodb/games-schema';
import { AGENT_ENV, DOCUMENTS_ENV, ENV, EVENTS_ENV, FAN_OUT_ENV, GAMES_ENV, GUEST_ENV, INTEGRATIONS_ENV, MEMORY_ENV, MODERATION_ENV, RETENTION_ENV, ROOM_PURGE_ENV } from '../../lambdas/wiring/env';
import { grantBedrockModels } from '../bedrock-model-grants';
import { acknowledgeWildcardResource } from '../nag';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Lets the ESM bundle load the CommonJS dependencies that call `require`. */
const ESM_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/** The CloudWatch namespace of the metrics functions emit through Powertools (EMF). */
export const METRICS_NAMESPACE = 'Parley';

/** The Powertools service name, which Powertools adds to every metric as the `service` dimension. */
export const DEFAULT_SERVICE_NAME = 'parley';

/** DynamoDB data-plane actions a function may be granted; there is no Scan. */
export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

const WRITE_ACTIONS: ReadonlySet<DynamoAction> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Access to one table. `actions` apply to the table itself; `queryIndexes`
 * grants `dynamodb:Query` on those indexes only. TransactWriteItems has no
 * IAM action of its own: each item in a transaction is authorized by its
 * Put/Update/Delete/ConditionCheckItem action.
 */
export interface TableAccess<Index extends string = never> {
  readonly actions: readonly DynamoAction[];
  readonly queryIndexes?: readonly Index[];
}

type RoomsIndex =
  | typeof ROOMS_TABLE.byUserIndex.name
  | typeof ROOMS_TABLE.publicRoomsIndex.name
  | typeof ROOMS_TABLE.nameIndex.name;

/** A secret a function reads: the id it passes to GetSecretValue and the ARN patterns that match only that secret. */
export interface SecretAccess {
  readonly secretId: string;
  readonly resources: readonly string[];
}

export interface TokenVerification {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri?: string;
}

export interface ParleyFunctionProps {
  /** File name in lambdas/handlers, without extension; it exports `handler`. */
  readonly handlerFile: string;
  readonly description: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly logLevel: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default DEFAULT_SERVICE_NAME */
  readonly serviceName?: string;
  /** Writes esbuild's metafile next to the bundle. @default false */
  readonly bundleMetafile?: boolean;
}

/**
 * Lambda always hands a function its credentials in environment variables,
 * so the SDK's default chain stops at its first provider (fromEnv). The
 * providers it would try next (SSO, shared ini files, web identity, process,
 * container and instance metadata) are loaded by dynamic import only when
 * that fails. Leaving them out of the bundle saves about 110 KB per function;
 * were one ever reached, the managed runtime's own SDK would resolve it.
 */
const UNREACHED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/nested-clients',
  '@smithy/credential-provider-imds',
] as const;

/**
 * A Parley Lambda function with the house defaults (Node.js 24 on arm64, an
 * ESM bundle that carries its own AWS SDK, active tracing, its own log group
 * with retention, Powertools settings) and `bindX()` helpers that grant
 * access and set the matching environment variable in one call.
 *
 * The role starts empty: no AWS managed policy, only the log group it writes
 * to and X-Ray; everything else comes from a `bindX()` call.
 */
export class ParleyFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ParleyFunctionProps) {
    super(scope, id);
    // Statements the function adds itself (X-Ray's) join the role's one policy
    // instead of an inline policy each: a resource fewer per function.
    this.node.setContext('@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy', false);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Parley ${props.handlerFile} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${repoRoot}lambdas/handlers/${props.handlerFile}.ts`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? DEFAULT_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: props.logLevel,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: false,
        // The function ships the SDK it was tested with instead of whichever
        // version the managed runtime carries.
        bundleAwsSDK: true,
        externalModules: [...UNREACHED_CREDENTIAL_PROVIDERS],
        forceDockerBundling: false,
        metafile: props.bundleMetafile ?? false,
      },
    });

    // Active tracing puts the X-Ray statement in the role's policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level ' +
        'permissions. The infrastructure tests check that X-Ray is the only Resource "*" grant.',
    });
  }

  /** Rooms, memberships and invitations: sets ROOMS_TABLE. */
  bindRoomsTable(table: ITable, access: TableAccess<RoomsIndex>): this {
    return this.bindTable(ENV.roomsTable, table, access);
  }

  /** Messages and their idempotency markers: sets MESSAGES_TABLE. */
  bindMessagesTable(table: ITable, access: TableAccess): this {
    return this.bindTable(ENV.messagesTable, table, access);
  }

  /** Room memory's windows and summaries: sets MEMORY_TABLE. */
  bindMemoryTable(table: ITable, access: TableAccess): this {
    return this.bindTable(MEMORY_ENV.table, table, access);
  }

  /**
   * Room summaries written by a Bedrock model instead of the extractive
   * summarizer: `bedrock:InvokeModel` (which Converse needs) on that model
   * only (a foundation model, a cross-region inference profile and the model
   * in the regions it routes to, or an application inference profile; see
   * grantBedrockModels); sets MEMORY_SUMMARIZER and MEMORY_SUMMARY_MODEL_ID.
   */
  bindMemorySummaryModel(modelId: string): this {
    grantBedrockModels(this.role, [modelId], ['bedrock:InvokeModel']);
    this.function.addEnvironment(MEMORY_ENV.summarizer, 'bedrock');
    this.function.addEnvironment(MEMORY_ENV.summaryModelId, modelId);
    return this;
  }

  /**
   * Semantic recall in room memory: `bedrock:InvokeModel` on one Titan
   * embeddings model in the stack's region; sets MEMORY_EMBEDDING_MODEL_ID.
   * Bind it to the memory consumer (which embeds messages) and to every
   * function that recalls (which embeds the query).
   */
  bindMemoryEmbeddings(modelId: string): this {
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [
          stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: modelId }),
        ],
      }),
    );
    this.function.addEnvironment(MEMORY_ENV.embeddingModelId, modelId);
    return this;
  }

  /**
   * Semantic recall in room memory through an OpenAI-compatible embeddings
   * API instead of Titan: `secretsmanager:GetSecretValue` on the secret
   * holding its key, when there is one, and nothing else; sets
   * MEMORY_EMBEDDING_BASE_URL, MEMORY_EMBEDDING_MODEL and
   * MEMORY_EMBEDDING_API_KEY_SECRET. Bind it where bindMemoryEmbeddings
   * would go.
   */
  bindMemoryOpenAiEmbeddings(endpoint: { readonly baseUrl: string; readonly model: string; readonly apiKey?: SecretAccess }): this {
    const { apiKey } = endpoint;
    if (apiKey !== undefined) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...apiKey.resources] }),
      );
      this.function.addEnvironment(MEMORY_ENV.embeddingApiKeySecret, apiKey.secretId);
    }
    this.function.addEnvironment(MEMORY_ENV.embeddingBaseUrl, endpoint.baseUrl);
    this.function.addEnvironment(MEMORY_ENV.embeddingModel, endpoint.model);
    return this;
  }

  /** Connections, room subscriptions and rate-limit state: sets CONNECTIONS_TABLE. */
  bindConnectionsTable(table: ITable, access: TableAccess): this {
    return this.bindTable(ENV.connectionsTable, table, access);
  }

  /**
   * Posting to connected clients: `execute-api:ManageConnections` on
   * `POST @connections/*` of this API stage only, and WS_MANAGEMENT_ENDPOINT
   * set to the stage's callback URL.
   */
  bindManagementApi(api: IWebSocketApi, stage: IWebSocketStage): this {
    const arn = Stack.of(this).formatArn({
      service: 'execute-api',
      resource: api.apiId,
      resourceName: `${stage.stageName}/POST/@connections/*`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [arn] }),
    );
    acknowledgeWildcardResource(
      this.role,
      arn,
      'Connection ids are only known at run time; the grant is limited to POST on @connections of one API stage.',
    );
    this.function.addEnvironment(ENV.managementEndpoint, stage.callbackUrl);
    return this;
  }

  /** The append-only audit trail: sets AUDIT_TABLE. Grant PutItem, GetItem or Query, never an update or delete. */
  bindAuditTable(table: ITable, access: TableAccess<'byTime'>): this {
    const forbidden = access.actions.filter((action) => action !== 'PutItem' && action !== 'GetItem' && action !== 'Query');
    if (forbidden.length > 0) throw new Error(`${this.node.path}: the audit table is append-only; refused ${forbidden.join(', ')}.`);
    return this.bindTable(ENV.auditTable, table, access);
  }

  /** Originals of moderated messages, for moderators: sets MODERATION_TABLE. */
  bindModerationTable(table: ITable, access: TableAccess): this {
    return this.bindTable(MODERATION_ENV.moderationTable, table, access);
  }

  /**
   * Writing new objects under `audit/` in the Object Lock archive (no read,
   * no delete, no retention change): sets AUDIT_BUCKET.
   */
  bindAuditArchive(bucket: IBucket): this {
    // A bucket from another stack arrives as an import; naming the export keeps
    // the grant and its acknowledgement on the same, exact resource.
    const owner = Stack.of(bucket);
    const bucketArn = owner === Stack.of(this) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
    const objects = `${bucketArn}/audit/*`;
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    bucket.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');
    acknowledgeWildcardResource(
      this.role,
      objects,
      'Archive object keys are made per batch at run time; the grant is PutObject under audit/ of one bucket.',
    );
    this.function.addEnvironment(MODERATION_ENV.auditBucket, bucket.bucketName);
    return this;
  }

  /**
   * The message archive. `write` (the archive consumer and its replay):
   * `s3:PutObject` under `archive/` and `deleted/`. `read` (owners' download
   * links, presigned with this role): `s3:ListBucket` for keys under
   * `archive/` and `s3:GetObject` there, never `deleted/`. Sets ARCHIVE_BUCKET.
   */
  bindMessageArchive(bucket: IBucket, access: 'read' | 'write'): this {
    const owner = Stack.of(bucket);
    const bucketArn = owner === Stack.of(this) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
    const expired = `${bucketArn}/archive/*`;
    if (access === 'write') {
      const deleted = `${bucketArn}/deleted/*`;
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [expired, deleted] }));
      bucket.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');
      for (const objects of [expired, deleted]) {
        acknowledgeWildcardResource(
          this.role,
          objects,
          'Archive object keys are made per room, day and batch at run time; the grant is PutObject under one prefix of one bucket.',
        );
      }
    } else {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringLike: { 's3:prefix': ['archive/*'] } },
        }),
      );
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [expired] }));
      bucket.encryptionKey?.grant(this.role, 'kms:Decrypt');
      acknowledgeWildcardResource(
        this.role,
        expired,
        'An owner may download any archive file of their room, found at run time; the grant is GetObject under archive/ of one bucket.',
      );
    }
    this.function.addEnvironment(RETENTION_ENV.archiveBucket, bucket.bucketName);
    return this;
  }

  /**
   * Replaying the archive consumer's failed batches: list, read and delete
   * the objects Lambda wrote under `aws/lambda/`. Sets ARCHIVE_FAILURES_BUCKET.
   */
  bindArchiveFailures(bucket: IBucket): this {
    const owner = Stack.of(bucket);
    const bucketArn = owner === Stack.of(this) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
    const objects = `${bucketArn}/${FAILED_BATCH_PREFIX}*`;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${FAILED_BATCH_PREFIX}*`] } },
      }),
    );
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [objects] }));
    bucket.encryptionKey?.grant(this.role, 'kms:Decrypt');
    acknowledgeWildcardResource(
      this.role,
      objects,
      'Lambda names each failed batch object itself; the grant is read and delete under aws/lambda/ of one bucket.',
    );
    this.function.addEnvironment(RETENTION_ENV.archiveFailuresBucket, bucket.bucketName);
    return this;
  }

  /** Rooms' API keys, webhooks and their logs: sets INTEGRATIONS_TABLE. */
  bindIntegrationsTable(table: ITable, access: TableAccess): this {
    return this.bindTable(INTEGRATIONS_ENV.table, table, access);
  }

  /** The games table (games-schema.ts), its sparse `byPoints` ranking index among `queryIndexes`; sets GAMES_TABLE. */
  bindGamesTable(table: ITable, access: TableAccess<typeof BY_POINTS_INDEX.name>): this {
    return this.bindTable(GAMES_ENV.table, table, access);
  }

  /**
   * Enqueueing game jobs: `sqs:SendMessage` on the imposter's or the
   * dialogues' job queue (SQS-managed encryption: no key to grant); sets
   * IMPOSTER_JOBS_QUEUE_URL or DIALOGUE_JOBS_QUEUE_URL.
   */
  bindGameJobs(game: 'imposter' | 'dialogue', queue: IQueue): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.function.addEnvironment(game === 'imposter' ? GAMES_ENV.imposterJobsQueueUrl : GAMES_ENV.dialogueJobsQueueUrl, queue.queueUrl);
    return this;
  }

  /**
   * Signing or verifying guest tokens: `secretsmanager:GetSecretValue` on the
   * guest token secret and nothing else of Secrets Manager; sets
   * GUEST_TOKEN_SECRET and GUEST_TOKEN_AUDIENCE (the stage).
   */
  bindGuestTokens(secret: SecretAccess, audience: string): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...secret.resources] }),
    );
    this.function.addEnvironment(GUEST_ENV.tokenSecret, secret.secretId);
    this.function.addEnvironment(GUEST_ENV.tokenAudience, audience);
    return this;
  }

  /** Publishing domain events: `events:PutEvents` on Parley's bus only; sets EVENT_BUS_NAME. */
  bindEventBus(bus: IEventBus): this {
    bus.grantPutEventsTo(this.function);
    this.function.addEnvironment(EVENTS_ENV.busName, bus.eventBusName);
    return this;
  }

  /**
   * The sample analytics consumer's bucket: `s3:PutObject` under `events/`
   * only (a retried batch overwrites its own objects), with the key to
   * encrypt them; sets ANALYTICS_EVENTS_BUCKET.
   */
  bindAnalyticsEvents(bucket: IBucket): this {
    const owner = Stack.of(bucket);
    const bucketArn = owner === Stack.of(this) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
    const objects = `${bucketArn}/${ANALYTICS_EVENTS_PREFIX}*`;
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    bucket.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');
    acknowledgeWildcardResource(
      this.role,
      objects,
      'Event object keys are made per date and batch at run time; the grant is PutObject under events/ of one bucket.',
    );
    this.function.addEnvironment(EVENTS_ENV.analyticsBucket, bucket.bucketName);
    return this;
  }

  /** Room documents' records and their index's chunks: sets KNOWLEDGE_TABLE. */
  bindKnowledgeTable(table: ITable, access: TableAccess): this {
    return this.bindTable(DOCUMENTS_ENV.knowledgeTable, table, access);
  }

  /**
   * The documents bucket, under `rooms/` only. `upload` (the documents
   * actions): `s3:PutObject`, which the presigned POSTs it signs use, with
   * the key to encrypt them, plus listing and deleting a document's objects;
   * never reading them. `ingest` (the ingestion function): `s3:GetObject`,
   * the only reader. `purge` (a deleted room's purge): list and delete.
   * Sets DOCUMENTS_BUCKET.
   */
  bindDocumentsBucket(bucket: IBucket, access: 'upload' | 'ingest' | 'purge'): this {
    const owner = Stack.of(bucket);
    const bucketArn = owner === Stack.of(this) ? bucket.bucketArn : owner.exportValue(bucket.bucketArn);
    const objects = `${bucketArn}/${DOCUMENT_KEY_PREFIX}*`;
    const list = () =>
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${DOCUMENT_KEY_PREFIX}*`] } },
        }),
      );
    if (access === 'upload') {
      list();
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] }));
      bucket.encryptionKey?.grant(this.role, 'kms:GenerateDataKey');
    } else if (access === 'ingest') {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
      bucket.encryptionKey?.grant(this.role, 'kms:Decrypt');
    } else {
      list();
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] }));
    }
    acknowledgeWildcardResource(
      this.role,
      objects,
      'Document object keys are made per room, document and version at run time; the grant is under rooms/ of one bucket.',
    );
    this.function.addEnvironment(DOCUMENTS_ENV.bucket, bucket.bucketName);
    return this;
  }

  /** The optional Bedrock Guardrails moderation check: bedrock:ApplyGuardrail on that guardrail only. */
  bindModerationGuardrail(guardrail: { readonly id: string; readonly version: string }): this {
    const arn = guardrail.id.startsWith('arn:')
      ? guardrail.id
      : Stack.of(this).formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: guardrail.id });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [arn] }));
    this.function.addEnvironment(MODERATION_ENV.guardrailId, guardrail.id);
    this.function.addEnvironment(MODERATION_ENV.guardrailVersion, guardrail.version);
    return this;
  }

  /** The token issuer, audience and (optionally) JWKS the authorizer trusts. */
  bindTokenVerification(verification: TokenVerification): this {
    this.function.addEnvironment(ENV.jwtIssuer, verification.issuer);
    this.function.addEnvironment(ENV.jwtAudience, verification.audience);
    if (verification.jwksUri !== undefined) this.function.addEnvironment(ENV.jwksUri, verification.jwksUri);
    return this;
  }

  /** Enqueueing agent jobs: `sqs:SendMessage` on the job queue; sets AGENT_JOBS_QUEUE_URL. */
  bindAgentJobProducer(queue: IQueue): this {
    queue.grantSendMessages(this.role);
    this.function.addEnvironment(AGENT_ENV.jobsQueueUrl, queue.queueUrl);
    return this;
  }

  /**
   * Answering agent jobs (the event source mapping grants receiving and
   * deleting): `sqs:ChangeMessageVisibility` on the job queue, to bring a failed
   * job back sooner, and `sqs:SendMessage` on its dead-letter queue, for jobs that
   * fail for good; sets AGENT_JOBS_QUEUE_URL, AGENT_JOBS_DLQ_URL and
   * AGENT_MAX_RECEIVE_COUNT (the queue's redrive maxReceiveCount).
   */
  bindAgentJobConsumer(queue: IQueue, deadLetters: IQueue, maxReceiveCount: number): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:ChangeMessageVisibility'], resources: [queue.queueArn] }),
    );
    deadLetters.grantSendMessages(this.role);
    this.function.addEnvironment(AGENT_ENV.jobsQueueUrl, queue.queueUrl);
    this.function.addEnvironment(AGENT_ENV.jobsDeadLetterQueueUrl, deadLetters.queueUrl);
    this.function.addEnvironment(AGENT_ENV.maxReceiveCount, String(maxReceiveCount));
    return this;
  }

  /**
   * Streaming agents' replies: `bedrock:InvokeModelWithResponseStream` (which
   * ConverseStream needs) on exactly the Bedrock models among `modelIds`
   * (foundation models, inference profiles and the models they route to; see
   * grantBedrockModels); sets AGENT_MODEL_IDS to all of them, `openai:` ones
   * included (bindOpenAiEndpoint gives access to those).
   */
  bindAgentModels(modelIds: readonly string[]): this {
    grantBedrockModels(this.role, modelIds, ['bedrock:InvokeModelWithResponseStream']);
    this.function.addEnvironment(AGENT_ENV.modelIds, modelIds.join(','));
    return this;
  }

  /**
   * The OpenAI-compatible endpoint `openai:<model>` agents speak through:
   * `secretsmanager:GetSecretValue` on the secret holding its API key, and
   * nothing else of Secrets Manager; sets AGENT_OPENAI_BASE_URL and
   * AGENT_OPENAI_API_KEY_SECRET.
   */
  bindOpenAiEndpoint(endpoint: { readonly baseUrl: string; readonly apiKey: SecretAccess }): this {
    const { apiKey } = endpoint;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [...apiKey.resources] }),
    );
    this.function.addEnvironment(AGENT_ENV.openAiBaseUrl, endpoint.baseUrl);
    this.function.addEnvironment(AGENT_ENV.openAiApiKeySecret, apiKey.secretId);
    return this;
  }

  /**
   * Enqueueing fan-out jobs: `sqs:SendMessage` on the fan-out queue, and
   * `kms:GenerateDataKey` and `kms:Decrypt` on the key that encrypts it;
   * sets FAN_OUT_QUEUE_URL. The producer
   * (sendMessage) enqueues a large room's shards, the worker the retry of a
   * shard's failed posts.
   */
  bindFanOutQueue(queue: IQueue): this {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: [queue.queueArn] }),
    );
    // Named actions rather than grantSendMessages' wildcards (kms:GenerateDataKey*, kms:ReEncrypt*).
    queue.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.function.addEnvironment(FAN_OUT_ENV.queueUrl, queue.queueUrl);
    return this;
  }

  /**
   * The room-purge queue: SendMessage on it only (deleteRoom enqueues a
   * room's first job, the worker each next one); sets ROOM_PURGE_QUEUE_URL.
   */
  bindRoomPurgeQueue(queue: IQueue): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.function.addEnvironment(ROOM_PURGE_ENV.queueUrl, queue.queueUrl);
    return this;
  }

  /** Sets plain configuration values (limits, flags) that need no grant. */
  setEnvironment(values: Readonly<Record<string, string | number>>): this {
    for (const [name, value] of Object.entries(values)) this.function.addEnvironment(name, String(value));
    return this;
  }

  private bindTable<Index extends string>(envName: string, table: ITable, access: TableAccess<Index>): this {
    const indexes = access.queryIndexes ?? [];
    if (access.actions.length === 0 && indexes.length === 0) {
      throw new Error(`${this.node.path}: a table binding needs at least one action or index.`);
    }
    if (access.actions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...new Set(access.actions)].map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    if (indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    // A table encrypted with a customer managed key needs the key for every
    // read (Decrypt) and, for writes, to encrypt new data.
    if (table.encryptionKey) {
      const writes = access.actions.some((action) => WRITE_ACTIONS.has(action));
      table.encryptionKey.grant(
        this.role,
        'kms:Decrypt',
        'kms:DescribeKey',
        ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
      );
    }
    this.function.addEnvironment(envName, table.tableName);
    return this;
  }
}
