import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '../../lambdas/adapters/dynamodb/audit-log';
import { DynamoRoomRepository } from '../../lambdas/adapters/dynamodb/room-repository';
import { DynamoWebhookStore } from '../../lambdas/adapters/dynamodb/webhook-store';
import { DnsHostResolver } from '../../lambdas/adapters/net/dns-resolver';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { DomainEvent } from '../../lambdas/domain/events/domain-events';
import { newWebhookSecret, retryCeilingSeconds } from '../../lambdas/domain/integrations/webhooks';
import { createWebhook } from '../../lambdas/use-cases/integrations/webhooks/create-webhook';
import { listWebhookDeliveries } from '../../lambdas/use-cases/integrations/webhooks/list-webhook-deliveries';
import type { WebhookManagementDeps } from '../../lambdas/use-cases/integrations/webhooks/webhook-deps';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';
import { alwaysFail, failTimes, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Short retries, so eight attempts take seconds: waits of at most 1, then 2 seconds. */
const RETRY_BASE_SECONDS = 1;
const RETRY_MAX_SECONDS = 2;

/**
 * Rooms' webhooks through the local runtime: a webhook is created for a
 * room its owner made over the socket, events shaped as the bus's rule
 * delivers them are put on the WebhookEvents queue, and the dispatcher and
 * deliverer functions carry them to a receiver on this machine that
 * verifies every signature.
 */
describe('webhooks on the local runtime', () => {
  let parley: LocalParleyProcess;
  let receiver: WebhookReceiver;
  let sqs: SQSClient;
  let deps: WebhookManagementDeps;
  let store: DynamoWebhookStore;
  const nextEventId = createIdGenerator();

  const named = (entries: Record<string, string>, pattern: RegExp) => {
    const found = Object.entries(entries).find(([key]) => pattern.test(key))?.[1];
    if (found === undefined) throw new Error(`Nothing matches ${pattern}`);
    return found;
  };
  const queueUrl = (pattern: RegExp) => named(parley.queues, pattern);

  /** A room owned by `name`, made over the socket. */
  const roomOf = async (name: string) => {
    const owner = await parley.connect(name);
    const { room } = await owner.ok<{ room: { roomId: string; ownerId: string } }>('createRoom', { name: `${name}'s room` });
    return { roomId: room.roomId, identity: { userId: room.ownerId, displayName: name } };
  };

  const publish = async (event: DomainEvent) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(/WebhookEvents[0-9A-F]{8}$/),
        MessageBody: JSON.stringify({
          version: '0',
          id: `bus-${event.id}`,
          'detail-type': event.type,
          source: 'parley',
          account: '000000000000',
          time: event.occurredAt,
          region: 'eu-west-1',
          resources: [],
          detail: event,
        }),
      }),
    );

  const messagePosted = (roomId: string): DomainEvent => ({
    id: `evt-${nextEventId(Date.now())}`,
    type: 'message.posted',
    version: 1,
    occurredAt: new Date().toISOString(),
    roomId,
    actor: { type: 'user', id: 'someone' },
    data: { messageId: 'm-1', senderId: 'someone', senderType: 'user', length: 5 },
  });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    parley = await startLocalParley({
      env: {
        PARLEY_FUNCTION_ENV: JSON.stringify({
          WEBHOOK_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS),
          WEBHOOK_RETRY_MAX_SECONDS: String(RETRY_MAX_SECONDS),
        }),
      },
    });
    const endpoint = parley.dynamoDbEndpoint;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: parley.region, credentials: CREDENTIALS }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
    store = new DynamoWebhookStore(documents, named(parley.tables, /Integrations/));
    deps = {
      rooms: new DynamoRoomRepository(documents, named(parley.tables, /TablesRooms/)),
      webhooks: store,
      deliveries: store,
      audit: new DynamoAuditLog(documents, named(parley.tables, /Audit/)),
      clock: { now: () => Date.now() },
      nextId: createIdGenerator(),
      resolver: new DnsHostResolver(),
      // As the local runtime's functions have it: the receiver is on this machine.
      targetPolicy: { allowLoopback: true },
      newSecret: () => newWebhookSecret(),
    };
  }, 180_000);

  afterAll(async () => {
    await parley?.stop();
    await receiver?.close();
  });

  it('delivers an event signed, verifiable with the webhook’s secret, to a subscribed webhook', async () => {
    const { roomId, identity } = await roomOf('wh-alice');
    const { webhook, secret } = await createWebhook(deps, identity, roomId, { url: `${receiver.url}/signed` });
    receiver.expectSecret('/signed', secret);
    const event = messagePosted(roomId);

    await publish(event);
    const received = await receiver.nth('/signed', 1);

    expect(received.verification).toMatchObject({ ok: true, id: event.id });
    expect(received.headers['user-agent']).toBe('Parley-Webhooks/1');
    expect(received.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received.body)).toEqual(event);
    const log = await until(
      () => listWebhookDeliveries(deps, identity, roomId, webhook.webhookId),
      (page) => page.items.length > 0,
    );
    expect(log.items).toEqual([expect.objectContaining({ eventId: event.id, attempt: 1, statusCode: 200, outcome: 'delivered' })]);
  });

  it('retries a failing receiver after backoff, with the same webhook-id, and logs every attempt', async () => {
    const { roomId, identity } = await roomOf('wh-bob');
    const { webhook, secret } = await createWebhook(deps, identity, roomId, { url: `${receiver.url}/flaky` });
    receiver.expectSecret('/flaky', secret);
    receiver.script('/flaky', failTimes(2));
    const event = messagePosted(roomId);

    await publish(event);
    const third = await receiver.nth('/flaky', 3);

    const attempts = receiver.received('/flaky');
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(third.verification?.ok).toBe(true);
    const log = await until(
      () => listWebhookDeliveries(deps, identity, roomId, webhook.webhookId),
      (page) => page.items.length === 3,
    );
    // Newest first.
    expect(log.items.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [3, 200, 'delivered'],
      [2, 500, 'retrying'],
      [1, 500, 'retrying'],
    ]);
    for (const failed of log.items.slice(1)) {
      // Each retry was scheduled within its attempt's ceiling, which doubles (capped here), and came no sooner.
      const delay = (Date.parse(failed.nextAttemptAt!) - Date.parse(failed.attemptedAt) - failed.durationMs) / 1000;
      expect(delay).toBeGreaterThanOrEqual(0.5);
      expect(delay).toBeLessThanOrEqual(retryCeilingSeconds(failed.attempt, RETRY_BASE_SECONDS, RETRY_MAX_SECONDS) + 0.5);
      const next = log.items.find((a) => a.attempt === failed.attempt + 1)!;
      expect(Date.parse(next.attemptedAt)).toBeGreaterThanOrEqual(Date.parse(failed.nextAttemptAt!) - 1000);
    }
  }, 60_000);

  it('sends a delivery that fails every attempt to the dead-letter queue', async () => {
    const { roomId, identity } = await roomOf('wh-carol');
    const { webhook } = await createWebhook(deps, identity, roomId, { url: `${receiver.url}/down` });
    receiver.script('/down', alwaysFail);
    const event = messagePosted(roomId);

    await publish(event);
    await receiver.nth('/down', 8, 90_000);
    const deadLetter = await until(
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl(/WebhookDeliveriesDeadLetters/), WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
        );
        return Messages.find((m) => m.Body?.includes(event.id));
      },
      (message) => message !== undefined,
      60_000,
    );

    expect(JSON.parse(deadLetter!.Body!)).toMatchObject({ roomId, webhookId: webhook.webhookId, event: { id: event.id } });
    expect(receiver.received('/down')).toHaveLength(8);
    const log = await listWebhookDeliveries(deps, identity, roomId, webhook.webhookId);
    expect(log.items[0]).toMatchObject({ attempt: 8, statusCode: 500, outcome: 'deadLettered' });
  }, 150_000);

  it('refuses a private-address target at creation and stores nothing', async () => {
    const { roomId, identity } = await roomOf('wh-dave');

    for (const url of ['https://10.0.0.5/hook', 'https://169.254.169.254/latest/meta-data', 'https://[fd00::1]/hook']) {
      await expect(createWebhook(deps, identity, roomId, { url })).rejects.toMatchObject({ code: 'WEBHOOK_TARGET_INVALID' });
    }
    expect(await store.list(roomId)).toEqual([]);
  });
});
