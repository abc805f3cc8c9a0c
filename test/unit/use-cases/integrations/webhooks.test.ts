import { beforeEach, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../../lambdas/domain/ids';
import type { DomainEvent } from '../../../../lambdas/domain/events/domain-events';
import { MAX_WEBHOOKS_PER_ROOM, verifyWebhook } from '../../../../lambdas/domain/integrations/webhooks';
import { createWebhook } from '../../../../lambdas/use-cases/integrations/webhooks/create-webhook';
import { deleteWebhook } from '../../../../lambdas/use-cases/integrations/webhooks/delete-webhook';
import { deliverWebhook, type DeliverWebhookDeps } from '../../../../lambdas/use-cases/integrations/webhooks/deliver-webhook';
import { dispatchWebhookEvent } from '../../../../lambdas/use-cases/integrations/webhooks/dispatch-webhook-event';
import { listWebhookDeliveries } from '../../../../lambdas/use-cases/integrations/webhooks/list-webhook-deliveries';
import { listWebhooks } from '../../../../lambdas/use-cases/integrations/webhooks/list-webhooks';
import { rotateWebhookSecret } from '../../../../lambdas/use-cases/integrations/webhooks/rotate-webhook-secret';
import type { WebhookManagementDeps } from '../../../../lambdas/use-cases/integrations/webhooks/webhook-deps';
import { alice, bob, carol, FakeAudit, FakeClock, FakeRooms } from '../../../support/fakes/chat';
import { FakeDeliveryQueue, FakeResolver, FakeSender, FakeWebhookStore } from '../../../support/fakes/webhooks';

const ROOM = 'r1';
const URL_OK = 'https://hooks.example.com/parley';

const event = (overrides: Partial<DomainEvent> = {}): DomainEvent =>
  ({
    id: 'evt-1',
    type: 'message.posted',
    version: 1,
    occurredAt: '2026-11-21T12:00:00.000Z',
    roomId: ROOM,
    data: { messageId: 'm1', senderId: 'u-bob', senderType: 'user', length: 3 },
    ...overrides,
  }) as DomainEvent;

describe('managing webhooks', () => {
  let rooms: FakeRooms;
  let store: FakeWebhookStore;
  let audit: FakeAudit;
  let deps: WebhookManagementDeps;
  let secrets: number;

  beforeEach(async () => {
    rooms = new FakeRooms();
    store = new FakeWebhookStore();
    audit = new FakeAudit();
    secrets = 0;
    deps = {
      rooms,
      webhooks: store,
      deliveries: store,
      audit,
      clock: new FakeClock(),
      nextId: createIdGenerator(),
      resolver: new FakeResolver({ 'hooks.example.com': ['93.184.216.34'], 'inside.example.com': ['10.0.0.7'] }),
      targetPolicy: { allowLoopback: false },
      newSecret: () => `whsec_${Buffer.from(`secret-${(secrets += 1)}`).toString('base64')}`,
    };
    const createdAt = '2026-11-01T00:00:00.000Z';
    await rooms.createRoom(
      { roomId: ROOM, name: 'Lobby', visibility: 'public', ownerId: alice.userId, createdAt },
      { roomId: ROOM, userId: alice.userId, displayName: 'Alice', role: 'owner', joinedAt: createdAt },
    );
    await rooms.putMembership({ roomId: ROOM, userId: bob.userId, displayName: 'Bob', role: 'moderator', joinedAt: createdAt });
  });

  it('creates a webhook for the owner, returns its secret once and audits it without the secret', async () => {
    const { webhook, secret } = await createWebhook(deps, alice, ROOM, { url: URL_OK, description: ' CRM sync ' });

    expect(webhook).toMatchObject({ roomId: ROOM, url: URL_OK, events: ['message.posted'], description: 'CRM sync', createdBy: alice.userId });
    expect(webhook).not.toHaveProperty('secret');
    expect(secret).toMatch(/^whsec_/);
    expect(await listWebhooks(deps, alice, ROOM)).toEqual([webhook]);
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'webhook.created', target: { type: 'webhook', id: webhook.webhookId }, details: { host: 'hooks.example.com', events: ['message.posted'] } }),
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain(secret);
  });

  it('refuses a moderator, a non-member of a public room and a stranger to a private one, writing nothing', async () => {
    await expect(createWebhook(deps, bob, ROOM, { url: URL_OK })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createWebhook(deps, carol, ROOM, { url: URL_OK })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createWebhook(deps, alice, 'nowhere', { url: URL_OK })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listWebhooks(deps, bob, ROOM)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(store.webhooks.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it('refuses a target that resolves to a private address, or not at all, writing nothing', async () => {
    await expect(createWebhook(deps, alice, ROOM, { url: 'https://inside.example.com/' })).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_INVALID',
      message: expect.stringContaining('10.0.0.7, a private address'),
    });
    await expect(createWebhook(deps, alice, ROOM, { url: 'https://unknown.example.com/' })).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_INVALID',
    });
    await expect(createWebhook(deps, alice, ROOM, { url: 'http://hooks.example.com/' })).rejects.toMatchObject({
      code: 'WEBHOOK_TARGET_INVALID',
    });

    expect(store.webhooks.size).toBe(0);
  });

  it(`refuses an eleventh webhook: a room has at most ${MAX_WEBHOOKS_PER_ROOM}`, async () => {
    for (let i = 0; i < MAX_WEBHOOKS_PER_ROOM; i += 1) await createWebhook(deps, alice, ROOM, { url: `${URL_OK}/${i}` });

    await expect(createWebhook(deps, alice, ROOM, { url: URL_OK })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(store.webhooks.size).toBe(MAX_WEBHOOKS_PER_ROOM);
  });

  it('deletes a webhook and audits it; a second delete is NOT_FOUND', async () => {
    const { webhook } = await createWebhook(deps, alice, ROOM, { url: URL_OK });

    await deleteWebhook(deps, alice, ROOM, webhook.webhookId);

    expect(await listWebhooks(deps, alice, ROOM)).toEqual([]);
    expect(audit.entries.map((e) => e.action)).toEqual(['webhook.created', 'webhook.deleted']);
    await expect(deleteWebhook(deps, alice, ROOM, webhook.webhookId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rotates the secret: deliveries sign with the new one, which is returned once', async () => {
    const { webhook, secret } = await createWebhook(deps, alice, ROOM, { url: URL_OK });

    const rotated = await rotateWebhookSecret(deps, alice, ROOM, webhook.webhookId);

    expect(rotated.secret).not.toBe(secret);
    expect((await store.getWithSecret(ROOM, webhook.webhookId))?.secret).toBe(rotated.secret);
    expect(audit.entries.map((e) => e.action)).toContain('webhook.secretRotated');
    await expect(rotateWebhookSecret(deps, alice, ROOM, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rotateWebhookSecret(deps, bob, ROOM, webhook.webhookId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('shows the owner a webhook’s delivery log, newest first, and NOT_FOUND for an unknown webhook', async () => {
    const { webhook } = await createWebhook(deps, alice, ROOM, { url: URL_OK });
    const attempt = { webhookId: webhook.webhookId, eventId: 'e', eventType: 'message.posted' as const, durationMs: 5 };
    await store.record(ROOM, { ...attempt, attempt: 1, attemptedAt: '2026-11-21T12:00:00.000Z', statusCode: 500, outcome: 'retrying' });
    await store.record(ROOM, { ...attempt, attempt: 2, attemptedAt: '2026-11-21T12:00:30.000Z', statusCode: 200, outcome: 'delivered' });

    const page = await listWebhookDeliveries(deps, alice, ROOM, webhook.webhookId);

    expect(page.items.map((a) => a.attempt)).toEqual([2, 1]);
    await expect(listWebhookDeliveries(deps, alice, ROOM, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listWebhookDeliveries(deps, bob, ROOM, webhook.webhookId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('dispatchWebhookEvent', () => {
  it('enqueues one job per active webhook of the room subscribed to the type', async () => {
    const store = new FakeWebhookStore();
    const queue = new FakeDeliveryQueue();
    const base = { url: URL_OK, createdBy: 'u', createdAt: '2026-11-01T00:00:00.000Z', secret: 'whsec_AA==' };
    await store.create({ ...base, webhookId: 'A', roomId: ROOM, events: ['message.posted'] });
    await store.create({ ...base, webhookId: 'B', roomId: ROOM, events: ['member.joined'] });
    await store.create({ ...base, webhookId: 'C', roomId: ROOM, events: ['message.posted'], disabledAt: '2026-11-02T00:00:00.000Z' });
    await store.create({ ...base, webhookId: 'D', roomId: 'other', events: ['message.posted'] });

    const jobs = await dispatchWebhookEvent({ webhooks: store, queue }, event());

    expect(jobs).toBe(1);
    expect(queue.jobs).toEqual([{ roomId: ROOM, webhookId: 'A', event: event() }]);
  });

  it('enqueues nothing for a room without webhooks', async () => {
    const queue = new FakeDeliveryQueue();

    expect(await dispatchWebhookEvent({ webhooks: new FakeWebhookStore(), queue }, event())).toBe(0);
    expect(queue.jobs).toEqual([]);
  });
});

describe('deliverWebhook', () => {
  const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  let store: FakeWebhookStore;
  let clock: FakeClock;
  const depsWith = (sender: FakeSender, resolver = new FakeResolver()): DeliverWebhookDeps => ({
    webhooks: store,
    deliveries: store,
    resolver,
    sender,
    targetPolicy: { allowLoopback: false },
    clock,
    retryBaseSeconds: 30,
    random: () => 0.5,
  });
  const job = { roomId: ROOM, webhookId: 'W', event: event() };

  beforeEach(async () => {
    store = new FakeWebhookStore();
    clock = new FakeClock();
    await store.create({
      webhookId: 'W',
      roomId: ROOM,
      url: URL_OK,
      events: ['message.posted'],
      createdBy: 'u',
      createdAt: '2026-11-01T00:00:00.000Z',
      secret: SECRET,
    });
  });

  it('POSTs the envelope, signed, to the checked address, and logs it delivered', async () => {
    const sender = new FakeSender([{ kind: 'answered', statusCode: 204 }]);

    const result = await deliverWebhook(depsWith(sender), job, 1);

    expect(result.outcome).toBe('delivered');
    const [request] = sender.requests;
    expect(request!.address).toBe('93.184.216.34');
    expect(request!.url.hostname).toBe('hooks.example.com');
    expect(request!.body).toBe(JSON.stringify(event()));
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Parley-Webhooks/1', 'webhook-id': 'evt-1' });
    expect(verifyWebhook(SECRET, request!.headers, request!.body, clock.now())).toMatchObject({ ok: true, id: 'evt-1' });
    expect(store.attempts).toEqual([
      { roomId: ROOM, attempt: expect.objectContaining({ attempt: 1, eventId: 'evt-1', statusCode: 204, outcome: 'delivered' }) },
    ]);
  });

  it('schedules a retry after the jittered backoff for a 500, a 3xx or a timeout', async () => {
    for (const [answer, attempt, delay] of [
      [{ kind: 'answered', statusCode: 500 }, 1, 15],
      [{ kind: 'answered', statusCode: 302 }, 3, 60],
      [{ kind: 'failed', errorClass: 'timeout' }, 7, 450],
    ] as const) {
      const result = await deliverWebhook(depsWith(new FakeSender([answer])), job, attempt);

      expect(result).toMatchObject({ outcome: 'retry', delaySeconds: delay });
      expect(store.attempts.at(-1)!.attempt).toMatchObject({
        attempt,
        outcome: 'retrying',
        nextAttemptAt: new Date(clock.now() + delay * 1000).toISOString(),
      });
    }
  });

  it('dead-letters after the eighth failed attempt', async () => {
    const result = await deliverWebhook(depsWith(new FakeSender([{ kind: 'answered', statusCode: 503 }])), job, 8);

    expect(result.outcome).toBe('deadLettered');
    expect(store.attempts.at(-1)!.attempt).toMatchObject({ attempt: 8, statusCode: 503, outcome: 'deadLettered' });
  });

  it('disables the webhook when its receiver answers 410 Gone, and drops later jobs', async () => {
    const sender = new FakeSender([{ kind: 'answered', statusCode: 410 }]);

    expect((await deliverWebhook(depsWith(sender), job, 1)).outcome).toBe('disabled');
    expect((await store.getWithSecret(ROOM, 'W'))?.disabledAt).toBeDefined();
    expect(await deliverWebhook(depsWith(sender), job, 1)).toEqual({ outcome: 'dropped', reason: 'disabled' });
    expect(sender.requests).toHaveLength(1);
  });

  it('drops a job whose webhook was deleted, sending nothing', async () => {
    const sender = new FakeSender();
    await store.delete(ROOM, 'W');

    expect(await deliverWebhook(depsWith(sender), job, 1)).toEqual({ outcome: 'dropped', reason: 'deleted' });
    expect(sender.requests).toEqual([]);
  });

  it('refuses to call a target that now resolves to a private address, and retries it', async () => {
    const sender = new FakeSender();

    const result = await deliverWebhook(depsWith(sender, new FakeResolver({ 'hooks.example.com': ['169.254.169.254'] })), job, 1);

    expect(result).toMatchObject({ outcome: 'retry', attempt: { errorClass: 'target' } });
    expect(sender.requests).toEqual([]);
  });
});
