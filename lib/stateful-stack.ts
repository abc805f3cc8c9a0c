import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ParleyConfig } from './config';
import { featuresOf } from './profile-config';
import { AlarmTopic } from './constructs/alarm-topic';
import { AuditTrail } from './constructs/audit-trail';
import { AgentQueues } from './constructs/agent-queues';
import { ChatTables } from './constructs/chat-tables';
import { FailureQueue } from './constructs/failure-queue';
import { FanOutQueues } from './constructs/fan-out-queues';
import { ModerationTable } from './constructs/moderation-table';
import { MemoryTable } from './constructs/memory-table';
import { KnowledgeTable } from './constructs/knowledge-table';
import { IntegrationsTable } from './constructs/integrations-table';
import { GamesTable } from './constructs/games-table';
import { GameQueues } from './constructs/game-queues';
import { ParleyEventBus } from './constructs/event-bus';
import { AnalyticsEvents } from './constructs/analytics-events';
import { DocumentStorage } from './constructs/document-storage';
import { MessageArchive } from './constructs/message-archive';
import { GuestTokenSecret } from './constructs/guest-token-secret';
import { ModelEndpointKey } from './constructs/model-endpoint-key';
import { RoomPurgeQueues } from './constructs/room-purge-queues';
import type { SecretAccess } from './constructs/parley-function';
import { UserDirectory } from './constructs/user-directory';
import { WebhookQueues } from './constructs/webhook-queues';

/** What the stateless stacks receive from the stateful one. */
export interface ParleyData {
  readonly roomsTable: ITable;
  readonly messagesTable: ITable;
  readonly connectionsTable: ITable;
  /** The agents' FIFO job queue, its dead-letter queue and the dispatcher's failure destination. */
  readonly agentQueues: { readonly jobs: IQueue; readonly deadLetters: IQueue; readonly dispatchFailures: IQueue };
  /** Sharded fan-out for large rooms: the FIFO job queue and its dead-letter queue. */
  readonly fanOutQueues: { readonly jobs: IQueue; readonly deadLetters: IQueue };
  /** A deleted room's purge (its messages' expiry, its memory): the job queue and its dead-letter queue. */
  readonly roomPurgeQueues: { readonly jobs: IQueue; readonly deadLetters: IQueue };
  /**
   * The failure destinations of the stream consumers not listed elsewhere
   * (the agent dispatcher's is in `agentQueues`, the archive consumer's is
   * `archiveFailures`): the stream positions of records that kept failing.
   */
  readonly streamFailures: {
    readonly moderation: IQueue;
    readonly memory: IQueue;
    readonly auditArchive: IQueue;
    /** The domain events publisher's (audit and messages streams). */
    readonly events: IQueue;
  };
  /** The append-only audit trail, streamed into `auditArchive`. */
  readonly auditTable: ITable;
  /** The audit archive: an S3 bucket with Object Lock. */
  readonly auditArchive: IBucket;
  /** Originals of moderated messages, for moderators. */
  readonly moderationTable: ITable;
  /** Room memory: windows and rolling summaries derived from the messages stream. */
  readonly memoryTable: ITable;
  /** Room documents' records and their index's chunks (knowledge-schema.ts). */
  readonly knowledgeTable: ITable;
  /** Rooms' API keys and their usage, webhooks and their delivery log (integrations-schema.ts). */
  readonly integrationsTable: ITable;
  /** Imposter rounds, leaderboards, scenarios and dialogues (games-schema.ts). */
  readonly gamesTable: ITable;
  /** The games' job queues and their dead-letter queues (the AI's lines, rounds' ends, dialogue turns). */
  readonly gameQueues: {
    readonly imposterJobs: IQueue;
    readonly imposterDeadLetters: IQueue;
    readonly dialogueJobs: IQueue;
    readonly dialogueDeadLetters: IQueue;
  };
  /** The bus Parley publishes its domain events on (docs/events.md). */
  readonly eventBus: IEventBus;
  /** The sample analytics consumer: its bucket (events by date), the queue a rule on the bus fills, and its dead-letter queue. */
  readonly analyticsEvents: { readonly bucket: IBucket; readonly queue: IQueue; readonly deadLetters: IQueue };
  /** Rooms' outgoing webhooks: the events the bus's rule sends, the delivery jobs, and their dead-letter queues. */
  readonly webhookQueues: {
    readonly events: IQueue;
    readonly eventsDeadLetters: IQueue;
    readonly deliveries: IQueue;
    readonly deliveriesDeadLetters: IQueue;
  };
  /** Room documents: the bucket, the queue its ObjectCreated events go to, and that queue's dead-letter queue. */
  readonly documents: { readonly bucket: IBucket; readonly queue: IQueue; readonly deadLetters: IQueue };
  /** Messages that left the messages table (TTL), as gzip JSON Lines by room and day. */
  readonly messageArchive: IBucket;
  /** Archive batches that kept failing, with their records, waiting to be replayed. */
  readonly archiveFailures: IBucket;
  readonly contentKey: IKey;
  /** The SNS topic every alarm notifies (docs/operations.md). */
  readonly alarmTopic: ITopic;
  /** The user pool and its app client; none with the `localstack` profile (lib/profile-config.ts). */
  readonly userPool?: IUserPool;
  readonly userPoolClient?: IUserPoolClient;
  /** The OpenAI-compatible endpoint's API key, when the deployment configures that endpoint. */
  readonly modelEndpointKey?: SecretAccess;
  /** The secret that signs guest tokens (docs/widget.md). */
  readonly guestTokenSecret: SecretAccess;
}

/** How long the sample analytics consumer keeps events, in days. */
const ANALYTICS_EVENTS_DAYS = 400;

export interface StatefulStackProps extends StackProps {
  readonly config: ParleyConfig;
}

/**
 * What keeps Parley's data: the tables, their encryption key, the queues and
 * buckets (jobs, archives, the stream consumers' failure destinations), the
 * user pool and the topic alarms notify. Deleting or replacing this stack loses data, so it changes
 * rarely and retains its resources unless configured otherwise.
 */
export class StatefulStack extends Stack {
  readonly data: ParleyData;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const features = featuresOf(config);
    const removalPolicy = config.dataRemovalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const alarms = new AlarmTopic(this, 'Alarms', {
      removalPolicy,
      ...(config.alarmEmail === undefined ? {} : { email: config.alarmEmail }),
    });
    const tables = new ChatTables(this, 'Tables', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
    });
    const memory = new MemoryTable(this, 'Memory', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
    });
    const audit = new AuditTrail(this, 'Audit', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
      retentionDays: config.auditRetentionDays,
      lockMode: config.auditLockMode,
      objectLock: features.auditObjectLock,
    });
    const moderation = new ModerationTable(this, 'Moderation', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
    });
    const agentQueues = new AgentQueues(this, 'AgentQueues', { removalPolicy, alarmTopic: alarms.topic });
    const fanOutQueues = new FanOutQueues(this, 'FanOutQueues', {
      removalPolicy,
      encryptionKey: tables.key,
      alarmTopic: alarms.topic,
    });
    const roomPurgeQueues = new RoomPurgeQueues(this, 'RoomPurgeQueues', { removalPolicy, alarmTopic: alarms.topic });
    const failureQueue = (id: string, purpose: string) => new FailureQueue(this, id, { removalPolicy, purpose, alarmTopic: alarms.topic }).queue;
    const streamFailures = {
      moderation: failureQueue(
        'ModerationStreamFailures',
        'the stream positions of messages the moderation consumer failed to moderate or audit after its retries',
      ),
      memory: failureQueue(
        'MemoryStreamFailures',
        'the stream positions of messages room memory failed to remember or forget after its retries',
      ),
      auditArchive: failureQueue(
        'AuditArchiveFailures',
        'the stream positions of audit entries the archiver failed to copy after its retries',
      ),
      events: failureQueue(
        'EventsStreamFailures',
        'the stream positions of audit entries and messages whose domain events could not be published after their retries',
      ),
    };
    const archive = new MessageArchive(this, 'MessageArchive', {
      removalPolicy,
      encryptionKey: tables.key,
      transitionAfterDays: config.archiveTransitionDays,
      storageClass: config.archiveStorageClass,
      expireAfterDays: config.archiveExpirationDays,
    });
    const knowledge = new KnowledgeTable(this, 'Knowledge', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
    });
    const integrations = new IntegrationsTable(this, 'Integrations', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
    });
    const games = new GamesTable(this, 'Games', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: tables.key,
    });
    const gameQueues = new GameQueues(this, 'GameQueues', { removalPolicy, alarmTopic: alarms.topic });
    const events = new ParleyEventBus(this, 'Events', {
      stage: config.stage,
      removalPolicy,
      archiveDays: config.eventArchiveDays,
    });
    const analytics = new AnalyticsEvents(this, 'AnalyticsEvents', {
      removalPolicy,
      eventBus: events.bus,
      encryptionKey: tables.key,
      accessLogs: archive.accessLogs,
      expireAfterDays: ANALYTICS_EVENTS_DAYS,
      alarmTopic: alarms.topic,
    });
    const webhookQueues = new WebhookQueues(this, 'WebhookQueues', {
      removalPolicy,
      eventBus: events.bus,
      encryptionKey: tables.key,
      alarmTopic: alarms.topic,
    });
    const documents = new DocumentStorage(this, 'Documents', {
      removalPolicy,
      encryptionKey: tables.key,
      uploadOrigins: config.documentUploadOrigins.split(',').map((origin) => origin.trim()),
      accessLogs: archive.accessLogs,
      alarmTopic: alarms.topic,
    });
    const users = features.userPool
      ? new UserDirectory(this, 'Users', {
          selfSignUp: config.selfSignUp,
          mfa: config.userPoolMfa,
          featurePlan: config.userPoolFeaturePlan,
          removalPolicy,
          deletionProtection: config.deletionProtection,
        })
      : undefined;

    this.data = {
      roomsTable: tables.rooms,
      messagesTable: tables.messages,
      connectionsTable: tables.connections,
      agentQueues,
      fanOutQueues,
      roomPurgeQueues,
      streamFailures,
      auditTable: audit.table,
      auditArchive: audit.archive,
      moderationTable: moderation.table,
      memoryTable: memory.table,
      knowledgeTable: knowledge.table,
      integrationsTable: integrations.table,
      gamesTable: games.table,
      gameQueues,
      eventBus: events.bus,
      analyticsEvents: { bucket: analytics.bucket, queue: analytics.queue, deadLetters: analytics.deadLetters },
      webhookQueues,
      guestTokenSecret: new GuestTokenSecret(this, 'GuestTokens', { removalPolicy }),
      documents: { bucket: documents.bucket, queue: documents.queue, deadLetters: documents.deadLetters },
      messageArchive: archive.bucket,
      archiveFailures: archive.failures,
      contentKey: tables.key,
      alarmTopic: alarms.topic,
      ...(users === undefined ? {} : { userPool: users.userPool, userPoolClient: users.client }),
      ...(config.openAiBaseUrl === undefined
        ? {}
        : {
            modelEndpointKey: new ModelEndpointKey(this, 'ModelEndpointKey', {
              removalPolicy,
              ...(config.openAiApiKeySecret === undefined ? {} : { existingSecret: config.openAiApiKeySecret }),
            }),
          }),
    };

    if (users !== undefined) {
      new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId, description: 'Cognito user pool id' });
      new CfnOutput(this, 'UserPoolClientId', {
        value: users.client.userPoolClientId,
        description: 'Public app client id (the token audience)',
      });
    }
  }
}
