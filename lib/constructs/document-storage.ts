import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type Bucket, EventType, HttpMethods, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DOCUMENT_KEY_PREFIX } from '../../lambdas/domain/knowledge/documents';
import { consumedQueue } from './consumed-queue';
import { FailureQueue } from './failure-queue';
import { privateBucket } from './private-bucket';

/** The ingestion function's timeout: a 200-page PDF is read, chunked, embedded and stored well within it. */
export const INGESTION_TIMEOUT = Duration.minutes(5);

/** SQS's guidance for a Lambda-consumed queue: a visibility timeout of six times the function's timeout. */
export const INGESTION_VISIBILITY_TIMEOUT = Duration.seconds(INGESTION_TIMEOUT.toSeconds() * 6);

/** Deliveries of an object's event before it is dead-lettered; the last marks the version failed. */
export const INGESTION_MAX_RECEIVE_COUNT = 3;

/** Replaced or deleted objects' previous versions are kept this long, then removed. */
const NONCURRENT_DAYS = 7;

export interface DocumentStorageProps {
  readonly removalPolicy: RemovalPolicy;
  /** The content key: documents are as private as the messages. */
  readonly encryptionKey: IKey;
  /** The origins browsers upload from (the web client's); `*` allows any, the presigned policy being the credential. */
  readonly uploadOrigins: readonly string[];
  /** Where access logs go (the archive's log bucket). */
  readonly accessLogs: IBucket;
  readonly alarmTopic: ITopic;
}

/**
 * Room documents' storage and the start of their ingestion: the documents
 * bucket (KMS with the content key, S3 Bucket Keys, public access blocked,
 * TLS only, versioned with noncurrent versions removed after a week, CORS
 * for the browsers' presigned POSTs), its ObjectCreated notification for
 * keys under `rooms/` to the ingestion queue, and that queue's dead-letter
 * queue, alarmed as soon as anything lands there.
 */
export class DocumentStorage extends Construct {
  readonly bucket: Bucket;
  readonly queue: Queue;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: DocumentStorageProps) {
    super(scope, id);
    this.bucket = privateBucket(this, 'Bucket', {
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
      accessLogs: props.accessLogs,
      accessLogsPrefix: 'documents/',
      versioned: true,
      cors: [
        {
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: [...props.uploadOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'forget-replaced-documents',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        { id: 'remove-deleted-markers', expiredObjectDeleteMarker: true },
      ],
    });

    this.deadLetters = new FailureQueue(this, 'DeadLetters', {
      removalPolicy: props.removalPolicy,
      purpose: 'uploaded document versions that could not be indexed after their retries (each message names the object)',
      alarmTopic: props.alarmTopic,
    }).queue;
    this.queue = consumedQueue(this, 'Ingestion', {
      removalPolicy: props.removalPolicy,
      visibilityTimeout: INGESTION_VISIBILITY_TIMEOUT,
      deadLetters: this.deadLetters,
      maxReceiveCount: INGESTION_MAX_RECEIVE_COUNT,
    });
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), { prefix: DOCUMENT_KEY_PREFIX });
    // CDK sets the notification through a singleton custom resource function of the stack.
    const stack = Stack.of(this);
    const notificationsHandler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler !== undefined) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK’s bucket-notifications custom resource runs at deployment only, to set the documents bucket’s notification; it logs with the basic execution policy.',
      });
    }
  }
}
