/**
 * The domain events benchmark: what publishing costs per event, and what
 * the local EventBridge endpoint carries.
 *
 * 1. Publication in the function: `publishEvents` over a batch of audit
 *    entries and posted messages (mapping, the batch's one room read from a
 *    fake, schema validation, the publisher's fake) per event, against the
 *    baseline of only serializing the same events (JSON.stringify), in the
 *    same run.
 * 2. The local endpoint: PutEvents calls of ten entries over HTTP to a bus
 *    with one matching rule (its delivery a no-op), against a plain Node
 *    HTTP server answering the same requests with `{}`, alternating rounds.
 *
 *   npm run bench -- events
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AuditRecord } from '../../lambdas/domain/audit';
import type { DomainEvent } from '../../lambdas/domain/events/domain-events';
import type { ModeratedMessage } from '../../lambdas/domain/message';
import { type EventSourceRecord, publishEvents } from '../../lambdas/use-cases/events/publish-events';
import { LocalEventBus } from '../local/event-bus/event-bus';
import { createEventBridgeServer } from '../local/event-bus/server';

const BATCHES = 200;
const BATCH = 100;
const CALLS = 300;

export interface EventsBenchmark {
  readonly publishUsPerEvent: number;
  readonly stringifyUsPerEvent: number;
  readonly busEventsPerSecond: number;
  readonly plainEventsPerSecond: number;
  readonly busMedianMs: number;
  readonly plainMedianMs: number;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function sourceBatch(batch: number): EventSourceRecord[] {
  return Array.from({ length: BATCH }, (_, i): EventSourceRecord => {
    const key = `${batch}-${i}`;
    if (i % 2 === 0) {
      const posted: ModeratedMessage = {
        roomId: 'r-bench',
        messageId: `m-${key}`,
        senderId: 'u-bench',
        senderName: 'Bench',
        senderType: 'human',
        text: 'a message of ordinary length for a chat room, about sixty chars',
        createdAt: '2026-12-06T10:00:00.000Z',
        moderation: 'allowed',
      };
      return { key, posted };
    }
    const audit: AuditRecord = {
      entryId: `e-${key}`,
      roomId: 'r-bench',
      idempotencyKey: key,
      occurredAt: '2026-12-06T10:00:00.000Z',
      actor: { type: 'system', id: 'moderation' },
      action: 'moderation.allowed',
      target: { type: 'message', id: `m-${key}` },
      details: { reasons: [], senderType: 'human', senderId: 'u-bench', originalKept: false },
    };
    return { key, audit };
  });
}

async function measurePublication(): Promise<{ publishUs: number; stringifyUs: number }> {
  const published: DomainEvent[] = [];
  const deps = {
    publisher: { publish: async (events: readonly DomainEvent[]) => void published.push(...events) },
    rooms: {
      roomsById: async () =>
        new Map([['r-bench', { roomId: 'r-bench', name: 'Bench', visibility: 'public' as const, ownerId: 'u', createdAt: '2026-12-06T09:00:00.000Z' }]]),
    },
  };
  const batches = Array.from({ length: BATCHES }, (_, b) => sourceBatch(b));
  for (const batch of batches.slice(0, 20)) await publishEvents(deps, batch); // warm-up
  published.length = 0;
  let started = performance.now();
  for (const batch of batches) await publishEvents(deps, batch);
  const publishUs = ((performance.now() - started) * 1000) / published.length;
  const events = [...published];
  started = performance.now();
  let bytes = 0;
  for (const event of events) bytes += JSON.stringify(event).length;
  const stringifyUs = ((performance.now() - started) * 1000) / events.length;
  if (bytes === 0) throw new Error('Nothing serialized.');
  return { publishUs, stringifyUs };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

async function measureEndpoint(): Promise<Pick<EventsBenchmark, 'busEventsPerSecond' | 'plainEventsPerSecond' | 'busMedianMs' | 'plainMedianMs'>> {
  let delivered = 0;
  const bus = new LocalEventBus({
    region: 'us-east-1',
    accountId: '000000000000',
    model: {
      buses: ['Parley-bench'],
      rules: [{ name: 'all', eventBusName: 'Parley-bench', eventPattern: '{"source":["parley"]}', state: 'ENABLED', targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }],
    },
    deliver: async () => void (delivered += 1),
    onDeliveryError: () => undefined,
  });
  const busServer = createEventBridgeServer(bus);
  const plainServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"FailedEntryCount":0,"Entries":[]}');
    });
  });
  const [busUrl, plainUrl] = await Promise.all([listen(busServer), listen(plainServer)]);
  const client = (endpoint: string) =>
    new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const clients = { bus: client(busUrl), plain: client(plainUrl) };
  const entries = Array.from({ length: 10 }, (_, i) => ({
    EventBusName: 'Parley-bench',
    Source: 'parley',
    DetailType: 'message.posted',
    Detail: JSON.stringify({ id: `m-${i}`, type: 'message.posted', data: { length: 60 } }),
  }));
  const times = { bus: [] as number[], plain: [] as number[] };
  const elapsed = { bus: 0, plain: 0 };
  try {
    for (let round = 0; round < CALLS + 20; round += 1) {
      for (const which of round % 2 === 0 ? (['bus', 'plain'] as const) : (['plain', 'bus'] as const)) {
        const started = performance.now();
        await clients[which].send(new PutEventsCommand({ Entries: entries }));
        const ms = performance.now() - started;
        if (round < 20) continue; // warm-up
        times[which].push(ms);
        elapsed[which] += ms;
      }
    }
    await bus.settled();
  } finally {
    clients.bus.destroy();
    clients.plain.destroy();
    await Promise.all([new Promise((r) => busServer.close(r)), new Promise((r) => plainServer.close(r))]);
  }
  if (delivered < CALLS * 10) throw new Error(`Only ${delivered} deliveries.`);
  return {
    busEventsPerSecond: (CALLS * 10) / (elapsed.bus / 1000),
    plainEventsPerSecond: (CALLS * 10) / (elapsed.plain / 1000),
    busMedianMs: median(times.bus),
    plainMedianMs: median(times.plain),
  };
}

export async function runEventsBenchmark(): Promise<EventsBenchmark> {
  const { publishUs, stringifyUs } = await measurePublication();
  return { publishUsPerEvent: publishUs, stringifyUsPerEvent: stringifyUs, ...(await measureEndpoint()) };
}

export function formatEvents(result: EventsBenchmark): string {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  return [
    '| measure | Parley | baseline | ratio |',
    '|---|---|---|---|',
    `| publication per event (map, validate, publish), µs vs JSON.stringify | ${f(result.publishUsPerEvent)} | ${f(result.stringifyUsPerEvent, 2)} | ${f(result.publishUsPerEvent / result.stringifyUsPerEvent)}× |`,
    `| local PutEvents (10 entries), median ms vs plain HTTP server | ${f(result.busMedianMs, 2)} | ${f(result.plainMedianMs, 2)} | ${f(result.busMedianMs / result.plainMedianMs, 2)}× |`,
    `| local PutEvents, events/s (one client, sequential) vs plain HTTP server | ${f(result.busEventsPerSecond, 0)} | ${f(result.plainEventsPerSecond, 0)} | ${f(result.busEventsPerSecond / result.plainEventsPerSecond, 2)}× |`,
  ].join('\n');
}
