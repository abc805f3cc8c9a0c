import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../shared/observability';

/**
 * Every AWS SDK client Parley's functions use, configured one way:
 *
 * - created once per Lambda container, on first use, and reused across
 *   invocations (connections stay warm); a function that never asks for a
 *   client does not bundle it (the SDK packages are free of side effects);
 * - captured by the tracer, so each call is a subsegment of the function's
 *   trace (a no-op where tracing is off: tests and the local runtime);
 * - region, credentials and endpoints from the SDK's standard configuration:
 *   AWS_REGION, and AWS_ENDPOINT_URL_<SERVICE> when the local runtime points
 *   a service at its own engine. The management API's endpoint is the
 *   WebSocket stage's own URL. S3 is addressed by path when its endpoint is
 *   overridden, as a local engine expects; virtual-hosted in AWS;
 * - the SDK's standard retries, except Bedrock's (below).
 */

let documentClient: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sqs: SQSClient | undefined;
let bedrock: BedrockRuntimeClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let eventBridge: EventBridgeClient | undefined;
const managementClients = new Map<string, ApiGatewayManagementApiClient>();

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** The management API client for a stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`. */
export function managementApiClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = managementClients.get(endpoint);
  if (!client) {
    client = tracer.captureAWSv3Client(new ApiGatewayManagementApiClient({ endpoint }));
    managementClients.set(endpoint, client);
  }
  return client;
}

export function s3Client(): S3Client {
  s3 ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env['AWS_ENDPOINT_URL_S3'] !== undefined }));
  return s3;
}

export function sqsClient(): SQSClient {
  sqs ??= tracer.captureAWSv3Client(new SQSClient({}));
  return sqs;
}

/**
 * The Bedrock runtime client, for agents' replies, summaries, embeddings and
 * guardrails alike. The SDK's own retries are off: each caller retries in a
 * way it controls and counts (the agent with its backoff, the stream
 * consumers and the job queue by redelivery). A stream that stays silent for
 * 30 s is treated as broken.
 */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  bedrock ??= tracer.captureAWSv3Client(
    new BedrockRuntimeClient({
      maxAttempts: 1,
      // The Bedrock client speaks HTTP/2, one session per stream.
      requestHandler: { requestTimeout: 30_000, disableConcurrentStreams: true },
    }),
  );
  return bedrock;
}

/** Secrets Manager, for the API key of an agent's OpenAI-compatible endpoint. */
export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= tracer.captureAWSv3Client(new SecretsManagerClient({}));
  return secretsManager;
}

/** EventBridge, for publishing domain events (the publisher retries failed entries itself, on top of the SDK's retries). */
export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= tracer.captureAWSv3Client(new EventBridgeClient({}));
  return eventBridge;
}

/** Forgets the clients; for tests that change the environment they are configured from. */
export function resetClients(): void {
  documentClient = undefined;
  s3 = undefined;
  sqs = undefined;
  bedrock = undefined;
  secretsManager = undefined;
  eventBridge = undefined;
  managementClients.clear();
}
