import { describe, expect, it } from 'vitest';
import { dynamoDocumentClient, managementApiClient } from '../../../lambdas/adapters/clients';

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
