import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { DomainEvent } from '../../lambdas/domain/events/domain-events';
import { type DeliveryAttempt, retryCeilingSeconds, type Webhook } from '../../lambdas/domain/integrations/webhooks';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';
import { until } from '../support/wait';
import { alwaysFail, failTimes, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Short retries, so eight attempts take seconds: waits of at most 1, then 2 seconds. */
const RETRY_BASE_SECONDS = 1;
const RETRY_MAX_SECONDS = 2;

/**
 * Rooms' webhooks through the local runtime: the owner of a room made over
 * the socket creates a webhook through the HTTP API, events shaped as the
 * bus's rule delivers them are put on the WebhookEvents queue, and the
 * dispatcher and deliverer functions carry them to a receiver on this
 * machine that verifies every signature; the owner reads the delivery log
 * through the HTTP API.
 */
describe('webhooks on the local runtime', () => {
  let parley: LocalParleyProcess;
  let receiver: WebhookReceiver;
  let sqs: SQSClient;
  const nextEventId = createIdGenerator();

  const named = (entries: Record<string, string>, pattern: RegExp) => {
    const found = Object.entries(entries).find(([key]) => pattern.test(key))?.[1];
    if (found === undefined) throw new Error(`Nothing matches ${pattern}`);
    return found;
  };
  const queueUrl = (pattern: RegExp) => named(parley.queues, pattern);

  const call = async (path: string, token: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${parley.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> | undefined };
  };

  /** A room owned by `name`, made over the socket, and the owner's ID token for the HTTP API. */
  const roomOf = async (name: string) => {
    const owner = await parley.connect(name);
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: `${name}'s room` });
    return { roomId: room.roomId, token: await parley.token(name) };
  };

  const createWebhook = async (roomId: string, token: string, body: Record<string, unknown>) => {
    const created = await call(`/v1/rooms/${roomId}/webhooks`, token, { method: 'POST', body });
    expect(created.status).toBe(201);
    return created.body as unknown as { webhook: Webhook; secret: string };
  };

  const deliveriesOf = async (roomId: string, token: string, webhookId: string) => {
    const page = await call(`/v1/rooms/${roomId}/webhooks/${webhookId}/deliveries`, token);
    expect(page.status).toBe(200);
    return page.body as unknown as { deliveries: DeliveryAttempt[] };
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
    sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials: CREDENTIALS });
  }, 180_000);

  afterAll(async () => {
    await parley?.stop();
    await receiver?.close();
  });

  it('delivers an event signed, verifiable with the webhook’s secret, to a subscribed webhook', async () => {
    const { roomId, token } = await roomOf('wh-alice');
    const { webhook, secret } = await createWebhook(roomId, token, { url: `${receiver.url}/signed` });
    receiver.expectSecret('/signed', secret);
    const event = messagePosted(roomId);

    await publish(event);
    const received = await receiver.nth('/signed', 1);

    expect(received.verification).toMatchObject({ ok: true, id: event.id });
    expect(received.headers['user-agent']).toBe('Parley-Webhooks/1');
    expect(received.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received.body)).toEqual(event);
    const log = await until(
      () => deliveriesOf(roomId, token, webhook.webhookId),
      (page) => page.deliveries.length > 0,
    );
    expect(log.deliveries).toEqual([expect.objectContaining({ eventId: event.id, attempt: 1, statusCode: 200, outcome: 'delivered' })]);
  });

  it('carries a message sent over the socket to the room’s webhook through the event bus, without its text', async () => {
    const owner = await parley.connect('wh-bus-owner');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'Bus room' });
    const token = await parley.token('wh-bus-owner');
    const { secret } = await createWebhook(room.roomId, token, { url: `${receiver.url}/bus`, events: ['message.posted'] });
    receiver.expectSecret('/bus', secret);

    const message = await owner.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text: 'hello bus', clientMessageId: 'bus-1' });
    const received = await receiver.nth('/bus', 1, 60_000);

    expect(received.verification?.ok).toBe(true);
    const event = JSON.parse(received.body) as DomainEvent<'message.posted'>;
    expect(event).toMatchObject({ type: 'message.posted', roomId: room.roomId, data: { messageId: message.messageId, senderType: 'user', length: 9 } });
    expect(event.data.text).toBeUndefined();
  });

  it('retries a failing receiver after backoff, with the same webhook-id, and logs every attempt', async () => {
    const { roomId, token } = await roomOf('wh-bob');
    const { webhook, secret } = await createWebhook(roomId, token, { url: `${receiver.url}/flaky` });
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
      () => deliveriesOf(roomId, token, webhook.webhookId),
      (page) => page.deliveries.length === 3,
    );
    // Newest first.
    expect(log.deliveries.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [3, 200, 'delivered'],
      [2, 500, 'retrying'],
      [1, 500, 'retrying'],
    ]);
    for (const failed of log.deliveries.slice(1)) {
      // Each retry was scheduled within its attempt's ceiling, which doubles (capped here), and came no sooner.
      const delay = (Date.parse(failed.nextAttemptAt!) - Date.parse(failed.attemptedAt) - failed.durationMs) / 1000;
      expect(delay).toBeGreaterThanOrEqual(0.5);
      expect(delay).toBeLessThanOrEqual(retryCeilingSeconds(failed.attempt, RETRY_BASE_SECONDS, RETRY_MAX_SECONDS) + 0.5);
      const next = log.deliveries.find((a) => a.attempt === failed.attempt + 1)!;
      expect(Date.parse(next.attemptedAt)).toBeGreaterThanOrEqual(Date.parse(failed.nextAttemptAt!) - 1000);
    }
  }, 60_000);

  it('sends a delivery that fails every attempt to the dead-letter queue', async () => {
    const { roomId, token } = await roomOf('wh-carol');
    const { webhook } = await createWebhook(roomId, token, { url: `${receiver.url}/down` });
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
    const log = await deliveriesOf(roomId, token, webhook.webhookId);
    expect(log.deliveries[0]).toMatchObject({ attempt: 8, statusCode: 500, outcome: 'deadLettered' });
  }, 150_000);

  it('refuses a private-address target at creation and stores nothing', async () => {
    const { roomId, token } = await roomOf('wh-dave');

    for (const url of ['https://10.0.0.5/hook', 'https://169.254.169.254/latest/meta-data', 'https://[fd00::1]/hook']) {
      const refused = await call(`/v1/rooms/${roomId}/webhooks`, token, { method: 'POST', body: { url } });
      expect(refused).toEqual({ status: 400, body: { error: { code: 'WEBHOOK_TARGET_INVALID', message: expect.stringContaining('address') } } });
    }
    expect((await call(`/v1/rooms/${roomId}/webhooks`, token)).body).toEqual({ webhooks: [] });
  });

  it('lets only the owner manage the room’s webhooks, and shows a secret only when it is made', async () => {
    const { roomId, token } = await roomOf('wh-frank');
    const member = await parley.connect('wh-grace');
    await member.ok('joinRoom', { roomId });
    const memberToken = await parley.token('wh-grace');
    const { webhook, secret } = await createWebhook(roomId, token, { url: `${receiver.url}/managed`, events: ['member.joined'] });

    expect((await call(`/v1/rooms/${roomId}/webhooks`, memberToken)).status).toBe(403);
    expect((await call(`/v1/rooms/${roomId}/webhooks`, token)).body).toEqual({ webhooks: [webhook] });
    expect(JSON.stringify(webhook)).not.toContain(secret);
    const rotated = await call(`/v1/rooms/${roomId}/webhooks/${webhook.webhookId}/rotate-secret`, token, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body?.['secret']).not.toBe(secret);
    expect((await call(`/v1/rooms/${roomId}/webhooks/${webhook.webhookId}`, token, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/v1/rooms/${roomId}/webhooks`, token)).body).toEqual({ webhooks: [] });
  });
});
