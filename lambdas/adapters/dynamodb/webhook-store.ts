import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../domain/events/domain-events';
import { ValidationError } from '../../domain/errors';
import {
  type DeliveryAttempt,
  deliveryCursor,
  type DeliveryLog,
  DELIVERY_LOG_DAYS,
  type DeliveryOutcome,
  parseDeliveryCursor,
  type Webhook,
  type WebhookStore,
  type WebhookWithSecret,
} from '../../domain/integrations/webhooks';
import type { Page } from '../../domain/types';
import { isConditionalCheckFailed } from './errors';
import { epochSeconds, type Item, oneOfAttr, optionalStringAttr, stringAttr } from './items';
import { INTEGRATIONS_ENTITY, INTEGRATIONS_TABLE, integrationsKeys } from './integrations-schema';
import { queryAll } from './query-all';

const { partitionKey, sortKey, ttlAttribute } = INTEGRATIONS_TABLE;
const OUTCOMES: readonly DeliveryOutcome[] = ['delivered', 'retrying', 'deadLettered', 'disabled'];
const DAY_MS = 86_400_000;

/** Every attribute of a webhook but its secret, which only delivery reads. */
const LISTED_ATTRIBUTES = ['webhookId', 'url', 'events', 'description', 'createdBy', 'createdAt', 'disabledAt', 'disabledReason'];

const toWebhook = (roomId: string, item: Item): Webhook => {
  const description = optionalStringAttr(item, 'description');
  const disabledAt = optionalStringAttr(item, 'disabledAt');
  const disabledReason = optionalStringAttr(item, 'disabledReason');
  const events = Array.isArray(item['events']) ? (item['events'] as unknown[]) : [];
  return {
    webhookId: stringAttr(item, 'webhookId'),
    roomId,
    url: stringAttr(item, 'url'),
    events: DOMAIN_EVENT_TYPES.filter((type) => events.includes(type)),
    ...(description === undefined ? {} : { description }),
    createdBy: stringAttr(item, 'createdBy'),
    createdAt: stringAttr(item, 'createdAt'),
    ...(disabledAt === undefined ? {} : { disabledAt }),
    ...(disabledReason === undefined ? {} : { disabledReason }),
  };
};

const toAttempt = (item: Item): DeliveryAttempt => {
  const statusCode = item['statusCode'];
  const errorClass = optionalStringAttr(item, 'errorClass');
  const nextAttemptAt = optionalStringAttr(item, 'nextAttemptAt');
  return {
    webhookId: stringAttr(item, 'webhookId'),
    eventId: stringAttr(item, 'eventId'),
    eventType: oneOfAttr(item, 'eventType', DOMAIN_EVENT_TYPES) as DomainEventType,
    attempt: Number(item['attempt']),
    attemptedAt: stringAttr(item, 'attemptedAt'),
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(errorClass === undefined ? {} : { errorClass }),
    durationMs: Number(item['durationMs']),
    ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    outcome: oneOfAttr(item, 'outcome', OUTCOMES),
  };
};

/**
 * A room's webhooks and their delivery log in the integrations table
 * (integrations-schema.ts): one item per webhook, one per delivery attempt.
 * The secret sits in the webhook's item, which the table encrypts with the
 * content key; reads other than getWithSecret leave it out of the response.
 */
export class DynamoWebhookStore implements WebhookStore, DeliveryLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(webhook: WebhookWithSecret): Promise<void> {
    const { roomId: _roomId, ...attributes } = webhook;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [partitionKey]: webhook.roomId,
          [sortKey]: integrationsKeys.webhook(webhook.webhookId),
          entity: INTEGRATIONS_ENTITY.webhook,
          ...attributes,
          events: [...webhook.events],
        },
        ConditionExpression: 'attribute_not_exists(#sk)',
        ExpressionAttributeNames: { '#sk': sortKey },
      }),
    );
  }

  async list(roomId: string): Promise<Webhook[]> {
    const names = Object.fromEntries(LISTED_ATTRIBUTES.map((name, i) => [`#a${i}`, name]));
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: { ...names, '#pk': partitionKey, '#sk': sortKey },
      ExpressionAttributeValues: { ':pk': roomId, ':prefix': integrationsKeys.webhookPrefix },
    });
    return items.map((item) => toWebhook(roomId, item));
  }

  async getWithSecret(roomId: string, webhookId: string): Promise<WebhookWithSecret | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [partitionKey]: roomId, [sortKey]: integrationsKeys.webhook(webhookId) },
        // The secret was just rotated, perhaps: sign with the newest.
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : { ...toWebhook(roomId, item), secret: stringAttr(item, 'secret') };
  }

  async delete(roomId: string, webhookId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { [partitionKey]: roomId, [sortKey]: integrationsKeys.webhook(webhookId) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async rotateSecret(roomId: string, webhookId: string, secret: string): Promise<boolean> {
    return this.updateExisting(roomId, webhookId, 'SET #secret = :secret', { '#secret': 'secret' }, { ':secret': secret });
  }

  async disable(roomId: string, webhookId: string, at: string, reason: string): Promise<void> {
    await this.updateExisting(
      roomId,
      webhookId,
      'SET #disabledAt = :at, #disabledReason = :reason',
      { '#disabledAt': 'disabledAt', '#disabledReason': 'disabledReason' },
      { ':at': at, ':reason': reason },
    );
  }

  async record(roomId: string, attempt: DeliveryAttempt): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [partitionKey]: roomId,
          [sortKey]: integrationsKeys.delivery(attempt.webhookId, attempt.attemptedAt, attempt.eventId),
          entity: INTEGRATIONS_ENTITY.delivery,
          ...attempt,
          [ttlAttribute]: epochSeconds(Date.parse(attempt.attemptedAt) + DELIVERY_LOG_DAYS * DAY_MS),
        },
      }),
    );
  }

  async page(roomId: string, webhookId: string, options: { readonly limit: number; readonly cursor?: string }): Promise<Page<DeliveryAttempt>> {
    let startKey: Record<string, string> | undefined;
    if (options.cursor !== undefined) {
      const parsed = parseDeliveryCursor(options.cursor);
      if (!parsed) throw new ValidationError('The cursor is not one Parley issued.');
      startKey = { [partitionKey]: roomId, [sortKey]: integrationsKeys.delivery(webhookId, parsed.attemptedAt, parsed.eventId) };
    }
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':pk': roomId, ':prefix': integrationsKeys.deliveriesOf(webhookId) },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = Items.map(toAttempt);
    const last = items.at(-1);
    return { items, ...(LastEvaluatedKey !== undefined && last !== undefined ? { nextCursor: deliveryCursor(last) } : {}) };
  }

  private async updateExisting(
    roomId: string,
    webhookId: string,
    update: string,
    names: Record<string, string>,
    values: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [partitionKey]: roomId, [sortKey]: integrationsKeys.webhook(webhookId) },
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(#sk)',
          ExpressionAttributeNames: { ...names, '#sk': sortKey },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
