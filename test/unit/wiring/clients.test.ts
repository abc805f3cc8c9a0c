import { afterEach, describe, expect, it, vi } from 'vitest';
import { tracer } from '../../../lambdas/shared/observability';
import {
  bedrockRuntimeClient,
  dynamoDocumentClient,
  managementApiClient,
  resetClients,
  s3Client,
  sqsClient,
} from '../../../lambdas/wiring/clients';

afterEach(() => {
  vi.unstubAllEnvs();
  resetClients();
});

describe('dynamoDocumentClient', () => {
  it('creates the client once and removes undefined values when marshalling', () => {
    const first = dynamoDocumentClient();

    const second = dynamoDocumentClient();

    expect(second).toBe(first);
    expect(first.config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});

describe('managementApiClient', () => {
  it('creates one client per stage endpoint', async () => {
    const prod = managementApiClient('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');

    const again = managementApiClient('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
    const local = managementApiClient('http://127.0.0.1:3001/local');

    expect(again).toBe(prod);
    expect(local).not.toBe(prod);
    const endpoint = await prod.config.endpoint?.();
    expect(endpoint?.hostname).toBe('abc123.execute-api.eu-west-1.amazonaws.com');
    expect(endpoint?.path).toBe('/prod');
  });
});

describe('s3Client', () => {
  it('addresses buckets by path only when a local endpoint is configured', () => {
    const inAws = s3Client();
    resetClients();
    vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4566');

    const local = s3Client();

    expect(inAws.config.forcePathStyle).toBe(false);
    expect(local.config.forcePathStyle).toBe(true);
    expect(s3Client()).toBe(local);
  });
});

describe('bedrockRuntimeClient', () => {
  it('is one client without SDK retries, for every Bedrock caller', async () => {
    const client = bedrockRuntimeClient();

    expect(bedrockRuntimeClient()).toBe(client);
    expect(await client.config.maxAttempts()).toBe(1);
  });
});

describe('the SDK clients', () => {
  it('are each captured for tracing when first created', () => {
    const capture = vi.spyOn(tracer, 'captureAWSv3Client');

    const clients = [
      dynamoDocumentClient(),
      managementApiClient('https://abc123.execute-api.eu-west-1.amazonaws.com/prod'),
      s3Client(),
      sqsClient(),
      bedrockRuntimeClient(),
    ];
    sqsClient();

    expect(capture).toHaveBeenCalledTimes(clients.length);
    const captured = capture.mock.calls.map(([client]) => (client as object).constructor.name);
    expect(captured.sort()).toEqual(
      ['ApiGatewayManagementApiClient', 'BedrockRuntimeClient', 'DynamoDBClient', 'S3Client', 'SQSClient'],
    );
  });
});
