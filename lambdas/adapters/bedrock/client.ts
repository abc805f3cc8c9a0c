import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

let client: BedrockRuntimeClient | undefined;

/**
 * The Bedrock runtime client, created once per container. The SDK's own
 * retries are off: the agent retries throttling itself, with backoff it
 * controls and counts (see answerJob). A stream that stays silent for 30 s
 * is treated as broken. The endpoint comes from the SDK's standard
 * configuration (AWS_ENDPOINT_URL_BEDROCK_RUNTIME for the local endpoint).
 */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  client ??= new BedrockRuntimeClient({
    maxAttempts: 1,
    // The Bedrock client speaks HTTP/2, one session per stream.
    requestHandler: { requestTimeout: 30_000, disableConcurrentStreams: true },
  });
  return client;
}
