import { SQSClient } from '@aws-sdk/client-sqs';

let client: SQSClient | undefined;

/**
 * The SQS client, created once per container. Its endpoint comes from the
 * SDK's standard configuration (AWS_ENDPOINT_URL_SQS locally).
 */
export function sqsClient(): SQSClient {
  client ??= new SQSClient({});
  return client;
}
