import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoWebhookStore } from '../../../../lambdas/adapters/dynamodb/webhook-store';
import type { DeliveryAttempt, WebhookWithSecret } from '../../../../lambdas/domain/integrations/webhooks';
import { conditionalCheckFailed, documentClient } from '../../../support/dynamodb';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const webhook: WebhookWithSecret = {
  webhookId: '01JD2Z8Q4M3V9X0K7F2B6C1N8R',
  roomId: 'r1',
  url: 'https://hooks.example.com/parley',
  events: ['member.joined', 'message.posted'],
  description: 'CRM',
  createdBy: 'u-alice',
  createdAt: '2026-12-06T10:00:00.000Z',
  secret: 'whsec_c2VjcmV0',
};
const attempt: DeliveryAttempt = {
  webhookId: webhook.webhookId,
  eventId: 'evt-1',
  eventType: 'message.posted',
  attempt: 2,
  attemptedAt: '2026-12-06T10:00:30.000Z',
  statusCode: 500,
  durationMs: 42,
  nextAttemptAt: '2026-12-06T10:01:30.000Z',
  outcome: 'retrying',
};

describe('DynamoWebhookStore', () => {
  const store = () => new DynamoWebhookStore(documentClient(), 'integrations');

  it('stores a new webhook under its room with its secret, never over an existing one', async () => {
    ddb.on(PutCommand).resolves({});

    await store().create(webhook);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'integrations',
      Item: expect.objectContaining({ roomId: 'r1', sk: `WEBHOOK#${webhook.webhookId}`, entity: 'webhook', secret: webhook.secret }),
      ConditionExpression: 'attribute_not_exists(#sk)',
    });
  });

  it('lists a room’s webhooks with one Query that leaves their secrets out', async () => {
    const { secret: _secret, roomId: _roomId, ...listed } = webhook;
    ddb.on(QueryCommand).resolves({ Items: [{ ...listed, events: ['member.joined', 'message.posted', 'unknown.type'] }] });

    const webhooks = await store().list('r1');

    expect(webhooks).toEqual([{ ...listed, roomId: 'r1', events: ['member.joined', 'message.posted'] }]);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.ExpressionAttributeValues).toEqual({ ':pk': 'r1', ':prefix': 'WEBHOOK#' });
    expect(Object.values(input.ExpressionAttributeNames ?? {})).not.toContain('secret');
    expect(input.ProjectionExpression).toBeDefined();
  });

  it('reads one webhook with its secret, consistently, for delivery', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...webhook, sk: `WEBHOOK#${webhook.webhookId}` } });

    expect(await store().getWithSecret('r1', webhook.webhookId)).toEqual(webhook);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { roomId: 'r1', sk: `WEBHOOK#${webhook.webhookId}` }, ConsistentRead: true });
  });

  it('says whether a delete removed anything', async () => {
    ddb.on(DeleteCommand).resolvesOnce({ Attributes: { roomId: 'r1' } }).resolvesOnce({});

    expect(await store().delete('r1', 'W')).toBe(true);
    expect(await store().delete('r1', 'W')).toBe(false);
  });

  it('rotates a secret only on an existing webhook', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());

    expect(await store().rotateSecret('r1', 'W', 'whsec_bmV3')).toBe(true);
    expect(await store().rotateSecret('r1', 'W', 'whsec_bmV3')).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(#sk)',
      ExpressionAttributeValues: { ':secret': 'whsec_bmV3' },
    });
  });

  it('records each attempt as its own item, expiring after the log’s 14 days', async () => {
    ddb.on(PutCommand).resolves({});

    await store().record('r1', attempt);

    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: {
        roomId: 'r1',
        sk: `DELIVERY#${webhook.webhookId}#2026-12-06T10:00:30.000Z#evt-1`,
        entity: 'webhookDelivery',
        ...attempt,
        expiresAt: Math.floor(Date.parse('2026-12-20T10:00:30.000Z') / 1000),
      },
    });
  });

  it('pages a webhook’s attempts newest first and continues after the cursor it gave', async () => {
    const item = { roomId: 'r1', sk: 'x', entity: 'webhookDelivery', ...attempt };
    ddb.on(QueryCommand).resolvesOnce({ Items: [item], LastEvaluatedKey: { roomId: 'r1', sk: 'x' } }).resolvesOnce({ Items: [] });

    const first = await store().page('r1', webhook.webhookId, { limit: 1 });
    await store().page('r1', webhook.webhookId, { limit: 1, cursor: first.nextCursor! });

    expect(first).toEqual({ items: [attempt], nextCursor: '2026-12-06T10:00:30.000Z#evt-1' });
    const [firstCall, secondCall] = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(firstCall).toMatchObject({ ScanIndexForward: false, Limit: 1, ExpressionAttributeValues: { ':prefix': `DELIVERY#${webhook.webhookId}#` } });
    expect(secondCall!.ExclusiveStartKey).toEqual({ roomId: 'r1', sk: `DELIVERY#${webhook.webhookId}#2026-12-06T10:00:30.000Z#evt-1` });
  });

  it('refuses a cursor it did not make', async () => {
    await expect(store().page('r1', 'W', { limit: 10, cursor: 'nonsense' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
