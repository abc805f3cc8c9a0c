import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEBHOOK_EVENTS,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_DELAY_SECONDS,
  newWebhookSecret,
  normalizeEventTypes,
  parseBusEvent,
  parseDeliveryCursor,
  parseDeliveryJob,
  deliveryCursor,
  retryCeilingSeconds,
  retryDelaySeconds,
  signWebhook,
  subscribes,
  verifyWebhook,
  webhookHeaders,
  type Webhook,
} from '../../../../lambdas/domain/integrations/webhooks';

// The Standard Webhooks specification's own test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const headersOf = (signature: string, timestamp = VECTOR.timestamp, id = VECTOR.id) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('signWebhook', () => {
  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 as the Standard Webhooks vector says', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('refuses a secret without the whsec_ prefix', () => {
    expect(() => signWebhook('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', VECTOR.id, 1, '')).toThrow(/whsec_/);
  });
});

describe('webhookHeaders', () => {
  it('carries the event id, the attempt time in seconds and its signature', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.timestamp * 1000 + 999, VECTOR.body);

    expect(headers).toEqual(headersOf(VECTOR.signature));
  });
});

describe('verifyWebhook', () => {
  const now = VECTOR.timestamp * 1000;

  it('accepts the vector', () => {
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature), VECTOR.body, now)).toEqual({
      ok: true,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
  });

  it('accepts when any of several signatures matches, as during a secret rotation', () => {
    const other = signWebhook(newWebhookSecret(), VECTOR.id, VECTOR.timestamp, VECTOR.body);

    expect(verifyWebhook(VECTOR.secret, headersOf(`${other} ${VECTOR.signature}`), VECTOR.body, now).ok).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature), '{"test": 2432232315}', now)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('rejects a wrong secret', () => {
    expect(verifyWebhook(newWebhookSecret(), headersOf(VECTOR.signature), VECTOR.body, now)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('rejects a timestamp outside the tolerance, old or future, against replay', () => {
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature), VECTOR.body, now + 301_000)).toEqual({
      ok: false,
      reason: 'timestamp out of tolerance',
    });
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature), VECTOR.body, now - 301_000).ok).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature), VECTOR.body, now + 299_000).ok).toBe(true);
  });

  it('rejects a signature moved to another timestamp or id', () => {
    const later = VECTOR.timestamp + 10;
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature, later), VECTOR.body, later * 1000).ok).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature, VECTOR.timestamp, 'msg_other'), VECTOR.body, now).ok).toBe(false);
  });

  it('rejects missing headers, a malformed timestamp and signatures of another scheme or length', () => {
    expect(verifyWebhook(VECTOR.secret, {}, VECTOR.body, now)).toEqual({ ok: false, reason: 'missing headers' });
    expect(verifyWebhook(VECTOR.secret, { ...headersOf(VECTOR.signature), 'webhook-timestamp': '1e9' }, VECTOR.body, now)).toEqual({
      ok: false,
      reason: 'bad timestamp',
    });
    expect(verifyWebhook(VECTOR.secret, headersOf(VECTOR.signature.replace('v1,', 'v2,')), VECTOR.body, now).ok).toBe(false);
    expect(verifyWebhook(VECTOR.secret, headersOf('v1,AAAA'), VECTOR.body, now).ok).toBe(false);
  });
});

describe('newWebhookSecret', () => {
  it('is whsec_ and 32 random bytes in base64, new each time', () => {
    const secret = newWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('the retry schedule', () => {
  it('doubles the ceiling from the base up to 15 minutes', () => {
    expect(Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => retryCeilingSeconds(i + 1, 30))).toEqual([
      30, 60, 120, 240, 480, 900, 900,
    ]);
    expect(retryCeilingSeconds(20, 30)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(retryCeilingSeconds(3, 1, 2)).toBe(2);
  });

  it('waits between one second and the ceiling, full jitter', () => {
    expect(retryDelaySeconds(3, 30, () => 0)).toBe(1);
    expect(retryDelaySeconds(3, 30, () => 0.5)).toBe(60);
    expect(retryDelaySeconds(3, 30, () => 0.999_999)).toBe(120);
    expect(retryDelaySeconds(8, 30, () => 0.999_999)).toBe(900);
  });
});

describe('subscriptions', () => {
  const webhook: Webhook = {
    webhookId: 'W',
    roomId: 'r1',
    url: 'https://hooks.example.com/',
    events: ['message.posted', 'member.joined'],
    createdBy: 'u',
    createdAt: '2026-12-06T00:00:00.000Z',
  };

  it('delivers only the subscribed types of an active webhook', () => {
    expect(subscribes(webhook, 'message.posted')).toBe(true);
    expect(subscribes(webhook, 'room.deleted')).toBe(false);
    expect(subscribes({ ...webhook, disabledAt: '2026-12-06T01:00:00.000Z' }, 'message.posted')).toBe(false);
  });

  it('defaults to message.posted and keeps types once, in their canonical order', () => {
    expect(normalizeEventTypes(undefined)).toEqual(DEFAULT_WEBHOOK_EVENTS);
    expect(normalizeEventTypes(['member.left', 'room.created', 'member.left'])).toEqual(['room.created', 'member.left']);
  });

  it('lets a webhook subscribe to the events of rounds and dialogues', () => {
    const games = ['dialogue.resolved', 'round.started', 'vote.cast', 'round.ended', 'dialogue.initiated', 'dialogue.progressed'] as const;

    expect(normalizeEventTypes(games)).toEqual(['round.started', 'vote.cast', 'round.ended', 'dialogue.initiated', 'dialogue.progressed', 'dialogue.resolved']);
    expect(subscribes({ ...webhook, events: ['round.ended'] }, 'round.ended')).toBe(true);
  });
});

describe('parsing queue bodies', () => {
  const event = {
    id: 'e1',
    type: 'member.joined',
    version: 1,
    occurredAt: '2026-12-06T10:00:00.000Z',
    roomId: 'r1',
    data: { userId: 'u1', role: 'member' },
  };

  it('reads the domain event out of an EventBridge event delivered to a queue', () => {
    const body = JSON.stringify({ version: '0', id: 'x', 'detail-type': 'member.joined', source: 'parley', detail: event });

    expect(parseBusEvent(body)).toEqual(event);
  });

  it('refuses another source, an unknown type and a detail that does not match its type', () => {
    expect(() => parseBusEvent(JSON.stringify({ source: 'aws.s3', 'detail-type': 'member.joined', detail: event }))).toThrow();
    expect(() => parseBusEvent(JSON.stringify({ source: 'parley', 'detail-type': 'room.exploded', detail: event }))).toThrow();
    expect(() =>
      parseBusEvent(JSON.stringify({ source: 'parley', 'detail-type': 'member.joined', detail: { ...event, data: { userId: 'u1' } } })),
    ).toThrow();
  });

  it('reads a delivery job and refuses one without its webhook', () => {
    expect(parseDeliveryJob(JSON.stringify({ roomId: 'r1', webhookId: 'W', event }))).toEqual({ roomId: 'r1', webhookId: 'W', event });
    expect(() => parseDeliveryJob(JSON.stringify({ roomId: 'r1', event }))).toThrow();
  });

  it('reads back the delivery cursors it makes, and nothing else', () => {
    const cursor = deliveryCursor({ attemptedAt: '2026-12-06T10:00:00.000Z', eventId: 'evt#1' });

    expect(parseDeliveryCursor(cursor)).toEqual({ attemptedAt: '2026-12-06T10:00:00.000Z', eventId: 'evt#1' });
    expect(parseDeliveryCursor('garbage')).toBeUndefined();
    expect(parseDeliveryCursor('not-a-date#e')).toBeUndefined();
  });
});
