import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../../lambdas/adapters/dynamodb/api-key-store';
import type { ApiKeyRecord } from '../../../../lambdas/domain/integrations/api-keys';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const TABLE = 'integrations';
const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new DynamoApiKeyStore(documentClient(), TABLE);

const RECORD: ApiKeyRecord = {
  roomId: 'r1',
  keyId: 'k1',
  name: 'CI',
  scopes: ['post', 'read'],
  ratePerMinute: 60,
  secretHash: 'ab'.repeat(32),
  createdAt: '2026-12-07T00:00:00.000Z',
  createdBy: 'u-alice',
};

afterEach(() => {
  ddb.reset();
});

describe('DynamoApiKeyStore', () => {
  it('stores a key as KEY#<keyId> in its room, only if new', async () => {
    ddb.on(PutCommand).resolves({});

    await store().create(RECORD);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({ roomId: 'r1', sk: 'KEY#k1', entity: 'apiKey', secretHash: RECORD.secretHash, scopes: ['post', 'read'] }),
      ConditionExpression: 'attribute_not_exists(#sk)',
    });
  });

  it('reads a key consistently, and answers undefined for none', async () => {
    ddb.on(GetCommand).resolvesOnce({ Item: { ...RECORD, sk: 'KEY#k1', entity: 'apiKey' } }).resolvesOnce({});

    expect(await store().get('r1', 'k1')).toEqual(RECORD);
    expect(await store().get('r1', 'k2')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { roomId: 'r1', sk: 'KEY#k1' }, ConsistentRead: true });
  });

  it('lists a room’s keys with one Query on KEY# items', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...RECORD, sk: 'KEY#k1', lastUsedAt: '2026-12-07T00:01:00.000Z' }] });

    expect(await store().list('r1')).toEqual([{ ...RECORD, lastUsedAt: '2026-12-07T00:01:00.000Z' }]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':room': 'r1', ':prefix': 'KEY#' } });
  });

  it('revokes keeping the first time, and answers false for an unknown key', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());

    expect(await store().revoke('r1', 'k1', '2026-12-07T00:02:00.000Z')).toBe(true);
    expect(await store().revoke('r1', 'k9', '2026-12-07T00:02:00.000Z')).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)' });
  });

  it('records last use only when it is newer, quietly when it is not', async () => {
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());

    await expect(store().touch('r1', 'k1', '2026-12-07T00:01:00.000Z')).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(#sk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :minute)',
    });
  });

  it('counts a request with one conditional update on an expiring counter, and refuses at the limit', async () => {
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: { requests: 3 } }).rejectsOnce(conditionalCheckFailed());

    expect(await store().count('r1', 'k1', 'm2026-12-07T00:01', 5, 1_800_000_000)).toBe(3);
    expect(await store().count('r1', 'k1', 'm2026-12-07T00:01', 5, 1_800_000_000)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { roomId: 'r1', sk: 'USAGE#k1#m2026-12-07T00:01' },
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeValues: expect.objectContaining({ ':limit': 5, ':expiresAt': 1_800_000_000 }),
    });
  });

  it('lets other failures through', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));

    await expect(store().count('r1', 'k1', 'w', 5, 1)).rejects.toThrow('throttled');
  });
});
