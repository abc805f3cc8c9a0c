import type { HostResolver } from '../../../lambdas/domain/integrations/webhook-target';
import type {
  DeliveryAttempt,
  DeliveryJob,
  DeliveryLog,
  DeliveryQueue,
  SendResult,
  Webhook,
  WebhookRequest,
  WebhookSender,
  WebhookStore,
  WebhookWithSecret,
} from '../../../lambdas/domain/integrations/webhooks';
import type { Page } from '../../../lambdas/domain/types';

/** Webhooks and their delivery log in memory, oldest webhook first, newest attempt first. */
export class FakeWebhookStore implements WebhookStore, DeliveryLog {
  readonly webhooks = new Map<string, WebhookWithSecret>();
  readonly attempts: Array<{ roomId: string; attempt: DeliveryAttempt }> = [];

  private key = (roomId: string, webhookId: string) => `${roomId}|${webhookId}`;

  async create(webhook: WebhookWithSecret) {
    this.webhooks.set(this.key(webhook.roomId, webhook.webhookId), webhook);
  }
  async list(roomId: string): Promise<Webhook[]> {
    return [...this.webhooks.values()].filter((w) => w.roomId === roomId).map(({ secret: _secret, ...webhook }) => webhook);
  }
  async getWithSecret(roomId: string, webhookId: string) {
    return this.webhooks.get(this.key(roomId, webhookId));
  }
  async delete(roomId: string, webhookId: string) {
    return this.webhooks.delete(this.key(roomId, webhookId));
  }
  async rotateSecret(roomId: string, webhookId: string, secret: string) {
    const webhook = this.webhooks.get(this.key(roomId, webhookId));
    if (!webhook) return false;
    this.webhooks.set(this.key(roomId, webhookId), { ...webhook, secret });
    return true;
  }
  async disable(roomId: string, webhookId: string, at: string, reason: string) {
    const webhook = this.webhooks.get(this.key(roomId, webhookId));
    if (webhook) this.webhooks.set(this.key(roomId, webhookId), { ...webhook, disabledAt: at, disabledReason: reason });
  }
  async record(roomId: string, attempt: DeliveryAttempt) {
    this.attempts.push({ roomId, attempt });
  }
  async page(roomId: string, webhookId: string, options: { limit: number; cursor?: string }): Promise<Page<DeliveryAttempt>> {
    const all = this.attempts
      .filter((a) => a.roomId === roomId && a.attempt.webhookId === webhookId)
      .map((a) => a.attempt)
      .reverse();
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const items = all.slice(start, start + options.limit);
    return { items, ...(start + options.limit < all.length ? { nextCursor: String(start + options.limit) } : {}) };
  }
}

/** The deliveries queue: keeps what was enqueued. */
export class FakeDeliveryQueue implements DeliveryQueue {
  readonly jobs: DeliveryJob[] = [];
  async enqueue(jobs: readonly DeliveryJob[]) {
    this.jobs.push(...jobs);
  }
}

/** Host names and their addresses; an unknown name does not resolve. */
export class FakeResolver implements HostResolver {
  constructor(readonly hosts: Record<string, string[]> = { 'hooks.example.com': ['93.184.216.34'] }) {}
  async resolve(host: string) {
    const addresses = this.hosts[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  }
}

/** A receiver that answers each request with the next scripted result (the last one repeats); keeps every request. */
export class FakeSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  constructor(private readonly results: SendResult[] = [{ kind: 'answered', statusCode: 200 }]) {}
  async send(request: WebhookRequest) {
    this.requests.push(request);
    return this.results[Math.min(this.requests.length - 1, this.results.length - 1)]!;
  }
}
