import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoModelCircuitStore } from '../../../../lambdas/adapters/dynamodb/model-circuit-store';
import { CLOSED } from '../../../../lambdas/domain/agents/circuit-breaker';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const MODEL = 'amazon.nova-lite-v1:0';
const key = { pk: `MODELCIRCUIT#${MODEL}`, sk: 'CIRCUIT' };

describe('DynamoModelCircuitStore', () => {
  it('reads a model never seen failing as closed, version 0', async () => {
    ddb.on(GetCommand).resolves({});
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    const stored = await store.read(MODEL);

    expect(stored).toEqual({ circuit: CLOSED, version: 0 });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: 'connections', Key: key });
  });

  it('reads an open circuit and its version', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...key, entity: 'modelCircuit', state: 'open', openedAt: 5_000, version: 7 } });
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    expect(await store.read(MODEL)).toEqual({ circuit: { state: 'open', openedAt: 5_000 }, version: 7 });
  });

  it('reads a half-open circuit with its probe’s start', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...key, state: 'halfOpen', probeStartedAt: 9_000, version: 2 } });
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    expect(await store.read(MODEL)).toEqual({ circuit: { state: 'halfOpen', probeStartedAt: 9_000 }, version: 2 });
  });

  it('writes the first state only if no other worker has written one', async () => {
    ddb.on(PutCommand).resolves({});
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    const written = await store.write(MODEL, { state: 'closed', failures: 1, windowStartedAt: 1_000 }, { circuit: CLOSED, version: 0 });

    expect(written).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'connections',
      Item: { ...key, entity: 'modelCircuit', modelId: MODEL, state: 'closed', failures: 1, windowStartedAt: 1_000, version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('writes a change only at the version read, as the next version', async () => {
    ddb.on(PutCommand).resolves({});
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    await store.write(MODEL, { state: 'halfOpen', probeStartedAt: 40_000 }, { circuit: { state: 'open', openedAt: 5_000 }, version: 7 });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ state: 'halfOpen', probeStartedAt: 40_000, version: 8 }),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': 7 },
    });
  });

  it('resolves false when another worker wrote first (the probe is theirs)', async () => {
    ddb.on(PutCommand).rejects(conditionalCheckFailed());
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    const written = await store.write(MODEL, { state: 'halfOpen', probeStartedAt: 40_000 }, { circuit: { state: 'open', openedAt: 5_000 }, version: 7 });

    expect(written).toBe(false);
  });

  it('throws any other failure, so the job is retried', async () => {
    ddb.on(PutCommand).rejects(new Error('throughput exceeded'));
    const store = new DynamoModelCircuitStore(documentClient(), 'connections');

    await expect(store.write(MODEL, { state: 'open', openedAt: 1 }, { circuit: CLOSED, version: 3 })).rejects.toThrow('throughput exceeded');
  });
});
