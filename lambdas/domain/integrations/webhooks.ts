import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DOMAIN_EVENT_TYPES, type DomainEvent, domainEventSchema, type DomainEventType, EVENT_SOURCE } from '../events/domain-events';
import type { Page } from '../types';

/**
 * A room's outgoing webhooks (docs/webhooks.md): an owner names an https
 * URL and the domain events it wants; each event is POSTed there as its
 * envelope in JSON, signed per the Standard Webhooks convention, retried
 * with backoff and dead-lettered after its last attempt. Every attempt is
 * written to the room's delivery log.
 */

/** Webhooks one room may have. */
export const MAX_WEBHOOKS_PER_ROOM = 10;
/** The longest target URL accepted, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
/** The longest description, in characters. */
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 200;
/** What a webhook gets when its creator names no event types. */
export const DEFAULT_WEBHOOK_EVENTS: readonly DomainEventType[] = ['message.posted'];
/** How long a delivery attempt is kept in the log, in days. */
export const DELIVERY_LOG_DAYS = 14;
/** How long a receiver has to answer, in ms. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The `user-agent` of every delivery. */
export const WEBHOOK_USER_AGENT = 'Parley-Webhooks/1';
/** A receiver's answer kept in the log: its first bytes only, never more. */
export const MAX_LOGGED_ERROR_LENGTH = 200;

/** Attempts of one delivery, the first included, before it is dead-lettered. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** The wait before the second attempt, doubled for each next one (production default; WEBHOOK_RETRY_BASE_SECONDS). */
export const DEFAULT_RETRY_BASE_SECONDS = 30;
/** The longest wait between two attempts: 15 minutes, also SQS's longest visibility change. */
export const MAX_RETRY_DELAY_SECONDS = 15 * 60;
/** How far a receiver should accept a signature's timestamp from its own clock, in seconds. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface Webhook {
  readonly webhookId: string;
  readonly roomId: string;
  readonly url: string;
  /** The domain event types delivered, in DOMAIN_EVENT_TYPES order. */
  readonly events: readonly DomainEventType[];
  readonly description?: string;
  readonly createdBy: string;
  readonly createdAt: string;
  /** Set when the receiver answered 410 Gone: nothing is delivered any more. */
  readonly disabledAt?: string;
  readonly disabledReason?: string;
}

/** A webhook with its signing secret: only delivery, creation and rotation see it. */
export interface WebhookWithSecret extends Webhook {
  readonly secret: string;
}

/** One delivery job on the deliveries queue: which webhook gets which event. */
export interface DeliveryJob {
  readonly roomId: string;
  readonly webhookId: string;
  readonly event: DomainEvent;
}

const deliveryJobSchema = z.object({
  roomId: z.string().min(1).max(200),
  webhookId: z.string().min(1).max(200),
  event: z
    .object({
      id: z.string().min(1).max(200),
      type: z.enum(DOMAIN_EVENT_TYPES as [DomainEventType, ...DomainEventType[]]),
      roomId: z.string().min(1).max(200),
    })
    .loose(),
});

/** Reads a delivery job from a queue message body; throws on anything Parley did not write. */
export function parseDeliveryJob(body: string): DeliveryJob {
  return deliveryJobSchema.parse(JSON.parse(body)) as unknown as DeliveryJob;
}

const busEventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.enum(DOMAIN_EVENT_TYPES as [DomainEventType, ...DomainEventType[]]),
  detail: z.unknown(),
});

/**
 * Reads a domain event from an EventBridge event as a rule delivers it to a
 * queue (`source` parley, `detail-type` the event type, `detail` the
 * envelope); throws on anything else.
 */
export function parseBusEvent(body: string): DomainEvent {
  const busEvent = busEventSchema.parse(JSON.parse(body));
  return domainEventSchema(busEvent['detail-type']).parse(busEvent.detail) as DomainEvent;
}

/** The outcome of one attempt. */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'deadLettered' | 'disabled';

/** One attempt in a room's delivery log. */
export interface DeliveryAttempt {
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: DomainEventType;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** ISO time the attempt started. */
  readonly attemptedAt: string;
  /** The receiver's status code, when it answered. */
  readonly statusCode?: number;
  /** Why no status came back, or why the target was refused (`timeout`, `connection`, `target`…). */
  readonly errorClass?: string;
  readonly durationMs: number;
  /** When the next attempt is due, for an outcome of `retrying`. */
  readonly nextAttemptAt?: string;
  readonly outcome: DeliveryOutcome;
}

/** The delivery log's cursor: the last attempt's time and event id. */
export const deliveryCursor = (attempt: Pick<DeliveryAttempt, 'attemptedAt' | 'eventId'>): string =>
  `${attempt.attemptedAt}#${attempt.eventId}`;

/** Reads a delivery cursor back; undefined when it is not one deliveryCursor made. */
export function parseDeliveryCursor(cursor: string): { attemptedAt: string; eventId: string } | undefined {
  const hash = cursor.indexOf('#');
  if (hash <= 0 || hash === cursor.length - 1) return undefined;
  const attemptedAt = cursor.slice(0, hash);
  if (Number.isNaN(Date.parse(attemptedAt))) return undefined;
  return { attemptedAt, eventId: cursor.slice(hash + 1) };
}

/** Stores a room's webhooks (lambdas/adapters/dynamodb/webhook-store.ts). */
export interface WebhookStore {
  /** Stores a new webhook (createWebhook checks the room's limit first). */
  create(webhook: WebhookWithSecret): Promise<void>;
  /** The room's webhooks, oldest first, without their secrets. */
  list(roomId: string): Promise<Webhook[]>;
  /** One webhook with its secret, for delivery; undefined when it was deleted. */
  getWithSecret(roomId: string, webhookId: string): Promise<WebhookWithSecret | undefined>;
  /** Removes a webhook; resolves false when there was none. */
  delete(roomId: string, webhookId: string): Promise<boolean>;
  /** Replaces the secret; resolves false when the webhook does not exist. */
  rotateSecret(roomId: string, webhookId: string, secret: string): Promise<boolean>;
  /** Stops deliveries to a webhook whose receiver said it is gone. */
  disable(roomId: string, webhookId: string, at: string, reason: string): Promise<void>;
}

/** A room's delivery log: one item per attempt, expiring after DELIVERY_LOG_DAYS. */
export interface DeliveryLog {
  record(roomId: string, attempt: DeliveryAttempt): Promise<void>;
  /** A webhook's attempts, newest first. */
  page(roomId: string, webhookId: string, options: { readonly limit: number; readonly cursor?: string }): Promise<Page<DeliveryAttempt>>;
}

/** Where delivery jobs go (the WebhookDeliveries queue). */
export interface DeliveryQueue {
  enqueue(jobs: readonly DeliveryJob[]): Promise<void>;
}

/** A receiver's answer to one POST. */
export type SendResult =
  | { readonly kind: 'answered'; readonly statusCode: number }
  | { readonly kind: 'failed'; readonly errorClass: 'timeout' | 'connection' | 'tls' };

/** What a delivery POSTs and where (lambdas/adapters/net/webhook-sender.ts). */
export interface WebhookRequest {
  readonly url: URL;
  /** The checked address the request connects to; the URL's host name still names the server (Host, TLS SNI). */
  readonly address: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface WebhookSender {
  send(request: WebhookRequest, timeoutMs: number): Promise<SendResult>;
}

// --- Signing (Standard Webhooks) ---

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (random: (bytes: number) => Uint8Array = randomBytes): string =>
  `${SECRET_PREFIX}${Buffer.from(random(32)).toString('base64')}`;

const secretKey = (secret: string): Buffer => {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('A webhook secret starts with "whsec_".');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
};

/** The `v1,<base64 HMAC-SHA256>` signature of `<id>.<timestamp>.<body>`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The headers that carry an attempt's signature. */
export interface WebhookSignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * The signature headers of one attempt: `webhook-id` is the event id (the
 * same on every retry, so a receiver drops repeats), `webhook-timestamp`
 * this attempt's time in unix seconds.
 */
export function webhookHeaders(secret: string, eventId: string, nowMs: number, body: string): WebhookSignatureHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, eventId, timestamp, body),
  };
}

/** Why verifyWebhook refused a request. */
export type WebhookVerification =
  | { readonly ok: true; readonly id: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'missing headers' | 'bad timestamp' | 'timestamp out of tolerance' | 'bad signature' };

/**
 * Checks a delivery as a receiver should: the three headers are present, the
 * timestamp is within `toleranceSeconds` of `nowMs` (against replay), and one
 * of the space-separated `v1,` signatures matches, compared in constant
 * time. Copy it into a receiver as it is; it needs only node:crypto.
 *
 * @example
 * const result = verifyWebhook(process.env.WEBHOOK_SECRET, request.headers, rawBody, Date.now());
 * if (!result.ok) return response.status(401).end();
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowMs: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): WebhookVerification {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const rawTimestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !rawTimestamp || !signatures) return { ok: false, reason: 'missing headers' };
  if (!/^\d{1,12}$/.test(rawTimestamp)) return { ok: false, reason: 'bad timestamp' };
  const timestamp = Number(rawTimestamp);
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp out of tolerance' };
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  const matches = signatures.split(' ').some((candidate) => {
    if (!candidate.startsWith('v1,')) return false;
    const given = Buffer.from(candidate.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, id, timestamp } : { ok: false, reason: 'bad signature' };
}

// --- Retries ---

/**
 * The longest wait after failed attempt `attempt` (1-based) before the next:
 * base·2^(attempt-1) seconds, at most MAX_RETRY_DELAY_SECONDS.
 */
export const retryCeilingSeconds = (attempt: number, baseSeconds: number, maxSeconds = MAX_RETRY_DELAY_SECONDS): number =>
  Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), maxSeconds);

/**
 * The wait after failed attempt `attempt`, with full jitter: uniform between
 * 0 and the ceiling, so receivers that failed together are not retried
 * together. Whole seconds, as SQS's visibility timeout counts them, and at
 * least one so a retry never comes back within the same second.
 */
export const retryDelaySeconds = (
  attempt: number,
  baseSeconds: number,
  random: () => number = Math.random,
  maxSeconds = MAX_RETRY_DELAY_SECONDS,
): number => Math.max(1, Math.round(random() * retryCeilingSeconds(attempt, baseSeconds, maxSeconds)));

/** Whether the receiver's status means delivered (2xx). */
export const isDelivered = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

/** A receiver answering 410 Gone asks Parley to stop: the webhook is disabled. */
export const isGone = (statusCode: number): boolean => statusCode === 410;

/** Whether a webhook gets events of `type`. */
export const subscribes = (webhook: Webhook, type: DomainEventType): boolean =>
  webhook.disabledAt === undefined && webhook.events.includes(type);

/** The event types given, deduplicated, in DOMAIN_EVENT_TYPES order; the default when none. */
export const normalizeEventTypes = (types: readonly DomainEventType[] | undefined): DomainEventType[] =>
  types === undefined || types.length === 0
    ? [...DEFAULT_WEBHOOK_EVENTS]
    : DOMAIN_EVENT_TYPES.filter((type) => types.includes(type));

// --- Management requests (their HTTP schemas: http-protocol.ts) ---

/** What creating a webhook takes: the target, the event types (default `message.posted`) and a description. */
export interface CreateWebhookRequest {
  readonly url: string;
  readonly events?: readonly DomainEventType[];
  readonly description?: string;
}

/** Delivery log entries one page holds at most. */
export const DELIVERY_PAGE_SIZE = 50;
