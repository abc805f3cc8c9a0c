import { WebhookTargetError } from '../../../domain/errors';
import type { TargetPolicy, HostResolver } from '../../../domain/integrations/webhook-target';
import {
  type DeliveryAttempt,
  type DeliveryJob,
  type DeliveryLog,
  DELIVERY_TIMEOUT_MS,
  isDelivered,
  isGone,
  MAX_DELIVERY_ATTEMPTS,
  retryDelaySeconds,
  type SendResult,
  WEBHOOK_USER_AGENT,
  webhookHeaders,
  type WebhookSender,
  type WebhookStore,
} from '../../../domain/integrations/webhooks';
import type { Clock } from '../../../domain/ports';
import { checkWebhookTarget } from './check-target';

export interface DeliverWebhookDeps {
  readonly webhooks: Pick<WebhookStore, 'getWithSecret' | 'disable'>;
  readonly deliveries: Pick<DeliveryLog, 'record'>;
  readonly resolver: HostResolver;
  readonly sender: WebhookSender;
  readonly targetPolicy: TargetPolicy;
  readonly clock: Clock;
  /** The first retry's longest wait, in seconds (WEBHOOK_RETRY_BASE_SECONDS). */
  readonly retryBaseSeconds: number;
  /** The longest wait between two attempts, in seconds (WEBHOOK_RETRY_MAX_SECONDS, default MAX_RETRY_DELAY_SECONDS). */
  readonly retryMaxSeconds?: number;
  readonly random?: () => number;
}

/** What became of one attempt, for the handler to act on. */
export type DeliverResult =
  | { readonly outcome: 'delivered'; readonly attempt: DeliveryAttempt }
  /** The webhook was deleted or disabled since the job was queued: nothing to do. */
  | { readonly outcome: 'dropped'; readonly reason: 'deleted' | 'disabled' }
  /** Failed: the job should come back after `delaySeconds`. */
  | { readonly outcome: 'retry'; readonly delaySeconds: number; readonly attempt: DeliveryAttempt }
  /** The last attempt failed: the job goes to the dead-letter queue. */
  | { readonly outcome: 'deadLettered'; readonly attempt: DeliveryAttempt }
  /** The receiver answered 410 Gone: the webhook is disabled. */
  | { readonly outcome: 'disabled'; readonly attempt: DeliveryAttempt };

/**
 * One delivery attempt of an event to a webhook: loads the webhook and its
 * secret, checks its target again (its host may resolve elsewhere now) and
 * POSTs the event's envelope to the checked address, signed. 2xx is
 * delivered; 410 disables the webhook; anything else, a timeout or a refused
 * target is retried after the backoff until MAX_DELIVERY_ATTEMPTS, then
 * dead-lettered. Every attempt goes to the delivery log.
 *
 * `attempt` is 1-based: the queue's receive count of the job.
 */
export async function deliverWebhook(deps: DeliverWebhookDeps, job: DeliveryJob, attempt: number): Promise<DeliverResult> {
  const webhook = await deps.webhooks.getWithSecret(job.roomId, job.webhookId);
  if (!webhook) return { outcome: 'dropped', reason: 'deleted' };
  if (webhook.disabledAt !== undefined) return { outcome: 'dropped', reason: 'disabled' };

  const started = deps.clock.now();
  const result = await attemptDelivery(deps, webhook.url, webhook.secret, job, started);
  const durationMs = Math.max(0, deps.clock.now() - started);
  const base = {
    webhookId: job.webhookId,
    eventId: job.event.id,
    eventType: job.event.type,
    attempt,
    attemptedAt: new Date(started).toISOString(),
    durationMs,
    ...(result.kind === 'answered' ? { statusCode: result.statusCode } : { errorClass: result.errorClass }),
  };

  if (result.kind === 'answered' && isDelivered(result.statusCode)) {
    const logged: DeliveryAttempt = { ...base, outcome: 'delivered' };
    await deps.deliveries.record(job.roomId, logged);
    return { outcome: 'delivered', attempt: logged };
  }
  if (result.kind === 'answered' && isGone(result.statusCode)) {
    const logged: DeliveryAttempt = { ...base, outcome: 'disabled' };
    await deps.webhooks.disable(job.roomId, job.webhookId, base.attemptedAt, 'The receiver answered 410 Gone.');
    await deps.deliveries.record(job.roomId, logged);
    return { outcome: 'disabled', attempt: logged };
  }
  if (attempt >= MAX_DELIVERY_ATTEMPTS) {
    const logged: DeliveryAttempt = { ...base, outcome: 'deadLettered' };
    await deps.deliveries.record(job.roomId, logged);
    return { outcome: 'deadLettered', attempt: logged };
  }
  const delaySeconds = retryDelaySeconds(attempt, deps.retryBaseSeconds, deps.random, deps.retryMaxSeconds);
  const logged: DeliveryAttempt = {
    ...base,
    outcome: 'retrying',
    nextAttemptAt: new Date(deps.clock.now() + delaySeconds * 1000).toISOString(),
  };
  await deps.deliveries.record(job.roomId, logged);
  return { outcome: 'retry', delaySeconds, attempt: logged };
}

type AttemptResult = SendResult | { readonly kind: 'failed'; readonly errorClass: 'target' };

async function attemptDelivery(
  deps: DeliverWebhookDeps,
  url: string,
  secret: string,
  job: DeliveryJob,
  nowMs: number,
): Promise<AttemptResult> {
  let target;
  try {
    target = await checkWebhookTarget(deps.resolver, url, deps.targetPolicy);
  } catch (error) {
    if (error instanceof WebhookTargetError) return { kind: 'failed', errorClass: 'target' };
    throw error;
  }
  // The envelope exactly as published: receivers verify the bytes they get.
  const body = JSON.stringify(job.event);
  return deps.sender.send(
    {
      url: target.url,
      address: target.address,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        ...webhookHeaders(secret, job.event.id, nowMs, body),
      },
    },
    DELIVERY_TIMEOUT_MS,
  );
}
