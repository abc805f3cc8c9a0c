/**
 * The webhooks benchmark, on the local runtime with a receiver on this
 * machine (test/support/webhook-receiver.ts):
 *
 * - delivery latency: from an event put on the WebhookEvents queue (as the
 *   bus's rule puts it) to the signed POST at the receiver, through the
 *   dispatcher, the deliveries queue and the deliverer; p50 and p99 of
 *   sequential events, against a baseline measured in the same run: the
 *   same POST made straight from this process;
 * - retry timing: a receiver failing three times, then answering 200, with a
 *   short schedule (base 1 s, longest wait 4 s): each retry's gap between
 *   arrivals against the delay the deliverer scheduled (from the delivery
 *   log), and that delay against its ceiling.
 *
 * Each run starts a fresh runtime.
 *
 *   npm run bench -- webhooks
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HttpWebhookSender } from '../../lambdas/adapters/net/webhook-sender';
import type { DomainEvent } from '../../lambdas/domain/events/domain-events';
import { createIdGenerator } from '../../lambdas/domain/ids';
import { type DeliveryAttempt, retryCeilingSeconds, webhookHeaders } from '../../lambdas/domain/integrations/webhooks';
import { startLocalParley } from '../../test/support/local-parley';
import { failTimes, startWebhookReceiver } from '../../test/support/webhook-receiver';

export interface WebhooksBenchmarkOptions {
  readonly runs: number;
  /** Events whose delivery is timed, per run. */
  readonly events: number;
}

export const DEFAULT_WEBHOOKS_BENCHMARK: WebhooksBenchmarkOptions = { runs: 3, events: 30 };

const RETRY_BASE_SECONDS = 1;
const RETRY_MAX_SECONDS = 4;
const FAILURES = 3;

export interface RetrySample {
  readonly attempt: number;
  readonly ceilingS: number;
  readonly scheduledS: number;
  readonly observedS: number;
}

export interface WebhooksRun {
  readonly baselineP50Ms: number;
  readonly deliveryP50Ms: number;
  readonly deliveryP99Ms: number;
  readonly retries: readonly RetrySample[];
  readonly loadAverage: string;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

const loadAverage = async (): Promise<string> => {
  const { readFile } = await import('node:fs/promises');
  return (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ');
};

async function runOnce(options: WebhooksBenchmarkOptions, log: (line: string) => void): Promise<WebhooksRun> {
  const receiver = await startWebhookReceiver();
  const parley = await startLocalParley({
    // A shared machine may take minutes to synthesize and start.
    startTimeoutMs: 300_000,
    env: {
      PARLEY_FUNCTION_ENV: JSON.stringify({
        WEBHOOK_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS),
        WEBHOOK_RETRY_MAX_SECONDS: String(RETRY_MAX_SECONDS),
      }),
    },
  });
  try {
    const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
    const sqs = new SQSClient({ endpoint: parley.sqsEndpoint, region: parley.region, credentials });
    const eventsQueue = Object.entries(parley.queues).find(([key]) => /WebhookEvents[0-9A-F]{8}$/.test(key))?.[1];
    if (eventsQueue === undefined) throw new Error('No WebhookEvents queue in the runtime.');
    const owner = await parley.connect('bench-webhooks');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'webhooks bench' });
    const token = await parley.token('bench-webhooks');
    const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${parley.apiUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const create = async (path: string) =>
      (await api(`/v1/rooms/${room.roomId}/webhooks`, { method: 'POST', body: { url: `${receiver.url}${path}` } })) as {
        webhook: { webhookId: string };
        secret: string;
      };
    const nextId = createIdGenerator();
    const publish = async (): Promise<DomainEvent> => {
      const event: DomainEvent = {
        id: `bench-${nextId(Date.now())}`,
        type: 'message.posted',
        version: 1,
        occurredAt: new Date().toISOString(),
        roomId: room.roomId,
        data: { messageId: 'm', senderId: 's', senderType: 'user', length: 10 },
      };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: eventsQueue,
          MessageBody: JSON.stringify({ version: '0', id: event.id, 'detail-type': event.type, source: 'parley', detail: event }),
        }),
      );
      return event;
    };

    // Baseline: the same signed POST, straight from here to the receiver.
    const { secret } = await create('/latency');
    receiver.expectSecret('/latency', secret);
    const sender = new HttpWebhookSender();
    const baseline: number[] = [];
    for (let i = 0; i < options.events; i += 1) {
      const body = JSON.stringify({ id: `direct-${i}` });
      const started = performance.now();
      await sender.send(
        { url: new URL(`${receiver.url}/direct`), address: '127.0.0.1', body, headers: { 'content-type': 'application/json', ...webhookHeaders(secret, `direct-${i}`, Date.now(), body) } },
        10_000,
      );
      baseline.push(performance.now() - started);
    }

    // Warm the pipeline's functions, then time sequential events.
    await publish();
    await receiver.nth('/latency', 1, 60_000);
    const latencies: number[] = [];
    for (let i = 0; i < options.events; i += 1) {
      const started = performance.now();
      await publish();
      const received = await receiver.nth('/latency', i + 2, 30_000);
      if (received.verification?.ok !== true) throw new Error('A delivery did not verify.');
      latencies.push(received.receivedAt - started);
    }
    log(`webhooks: delivery p50 ${Math.round(percentile(latencies, 50))} ms`);

    // Retries: fail three times, then 200.
    const flaky = await create('/flaky');
    receiver.script('/flaky', failTimes(FAILURES));
    await publish();
    await receiver.nth('/flaky', FAILURES + 1, 60_000);
    const arrivals = receiver.received('/flaky').map((r) => r.receivedAt);
    let log_: DeliveryAttempt[] = [];
    for (let tries = 0; tries < 50 && log_.length < FAILURES + 1; tries += 1) {
      log_ = ((await api(`/v1/rooms/${room.roomId}/webhooks/${flaky.webhook.webhookId}/deliveries`)) as { deliveries: DeliveryAttempt[] }).deliveries;
      if (log_.length < FAILURES + 1) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const retries = log_
      .filter((a) => a.outcome === 'retrying')
      .sort((a, b) => a.attempt - b.attempt)
      .map((a) => ({
        attempt: a.attempt,
        ceilingS: retryCeilingSeconds(a.attempt, RETRY_BASE_SECONDS, RETRY_MAX_SECONDS),
        scheduledS: (Date.parse(a.nextAttemptAt!) - Date.parse(a.attemptedAt) - a.durationMs) / 1000,
        observedS: ((arrivals[a.attempt] ?? Number.NaN) - (arrivals[a.attempt - 1] ?? Number.NaN)) / 1000,
      }));
    return {
      baselineP50Ms: percentile(baseline, 50),
      deliveryP50Ms: percentile(latencies, 50),
      deliveryP99Ms: percentile(latencies, 99),
      retries,
      loadAverage: await loadAverage(),
    };
  } finally {
    await parley.stop();
    await receiver.close();
  }
}

export async function runWebhooksBenchmark(
  options: WebhooksBenchmarkOptions = DEFAULT_WEBHOOKS_BENCHMARK,
  log: (line: string) => void = () => undefined,
): Promise<WebhooksRun[]> {
  const runs: WebhooksRun[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    runs.push(await runOnce(options, log));
    log(`webhooks: run ${i + 1}/${options.runs}`);
  }
  return runs;
}

export function formatWebhooks(runs: readonly WebhooksRun[]): string {
  const rows = runs.map((run, i) => {
    const retries = run.retries
      .map((r) => `#${r.attempt}: ${r.scheduledS.toFixed(1)} s of ≤ ${r.ceilingS} s, seen ${r.observedS.toFixed(1)} s`)
      .join('; ');
    return `| ${i + 1} | ${run.baselineP50Ms.toFixed(1)} | ${Math.round(run.deliveryP50Ms)} | ${Math.round(run.deliveryP99Ms)} | ${(run.deliveryP50Ms / run.baselineP50Ms).toFixed(0)}× | ${retries} | ${run.loadAverage} |`;
  });
  return [
    '| run | direct POST p50 (ms) | delivery p50 (ms) | delivery p99 (ms) | p50 / direct | retries: scheduled of ceiling, gap seen | load average |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
