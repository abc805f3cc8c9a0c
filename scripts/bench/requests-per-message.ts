/**
 * Requests per sent message on the local runtime, counted rather than timed:
 * R rooms of M members (1,000 clients in 100 rooms, as the realtime
 * benchmark's second scenario), one message per room per round. Every
 * DynamoDB and SQS request the functions make goes through a counting proxy
 * (request-counter.ts, set as their AWS_ENDPOINT_URL_<SERVICE> through
 * PARLEY_FUNCTION_ENV), function invocations come from the runtime's own
 * events (route requests, stream and queue batches) and management API posts
 * from the frames the clients receive. The counts do not depend on the
 * machine's load; the stream pollers' own requests (the runtime's, at a fixed
 * rate per shard) are not in them.
 *
 *   npm run bench -- requests-per-message
 */
import type { RuntimeEvent, TestClient } from '../../test/support/local-parley';
import { type RequestCounts, shortName, startCountedRuntime } from './request-counter';
import { pool } from './support';

export interface RequestsPerMessageScenario {
  readonly rooms: number;
  readonly membersPerRoom: number;
  /** Measured rounds, one message per room each (after one unmeasured round). */
  readonly rounds: number;
}

export interface RequestsPerMessage {
  readonly scenario: RequestsPerMessageScenario;
  readonly messages: number;
  readonly deliveries: number;
  readonly dynamoDb: RequestCounts;
  readonly sqs: RequestCounts;
  /** Invocations by function (route requests) or event source mapping (batches with records). */
  readonly invocations: Map<string, number>;
  /** Stream or queue records handed to each mapping's function. */
  readonly records: Map<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureRequestsPerMessage(
  scenario: RequestsPerMessageScenario = { rooms: 100, membersPerRoom: 10, rounds: 2 },
  log: (line: string) => void = () => undefined,
): Promise<RequestsPerMessage> {
  log('Starting the local runtime…');
  const { runtime, dynamo, sqs, stop } = await startCountedRuntime();
  try {
    const { rooms, membersPerRoom } = scenario;
    log(`Connecting ${rooms * membersPerRoom} clients…`);
    const indexes = Array.from({ length: rooms * membersPerRoom }, (_, i) => i);
    const clients: TestClient[] = new Array(indexes.length);
    await pool(indexes, 25, async (i) => {
      clients[i] = await runtime.connect(`requests-${i}`);
    });
    const roomIds: string[] = [];
    await pool(Array.from({ length: rooms }, (_, r) => r), 10, async (r) => {
      const data = await (clients[r * membersPerRoom] as TestClient).ok<{ room: { roomId: string } }>('createRoom', { name: `requests ${r}` });
      roomIds[r] = data.room.roomId;
    });
    await pool(indexes.filter((i) => i % membersPerRoom !== 0), 25, async (i) => {
      await (clients[i] as TestClient).ok('joinRoom', { roomId: roomIds[Math.floor(i / membersPerRoom)] });
    });

    let delivered = 0;
    const round = async (tag: string) => {
      // Ten rooms at a time: on a loaded machine a hundred sends at once outwait any timeout.
      await pool(roomIds, 10, async (roomId, r) => {
        const members = clients.slice(r * membersPerRoom, (r + 1) * membersPerRoom);
        const sender = members[0] as TestClient;
        const text = `requests:${tag}:${r}`;
        const arrivals = members.map((m) =>
          m.waitFor((f) => f.type === 'message' && (f['message'] as { text?: string }).text === text, 120_000),
        );
        const requestId = `send-${tag}-${r}`;
        sender.send(JSON.stringify({ action: 'sendMessage', requestId, roomId, text, clientMessageId: `${tag}-${r}` }));
        const answer = await sender.waitFor((f) => f.requestId === requestId && (f.type === 'ack' || f.type === 'error'), 120_000);
        if (answer.type !== 'ack') throw new Error(`sendMessage failed: ${JSON.stringify(answer)}`);
        await Promise.all(arrivals);
        delivered += members.length;
      });
    };
    // Waits until no stream or queue batch carried records, and no request was counted, for `quietMs`.
    const settle = async (quietMs: number) => {
      let last = -1;
      for (;;) {
        const now = runtime.events.filter(isBusyBatch).length + total(dynamo.counts) + total(sqs.counts);
        if (now === last) return;
        last = now;
        await sleep(quietMs);
      }
    };

    log('Warm-up round…');
    await round('warm');
    await settle(3_000);
    dynamo.reset();
    sqs.reset();
    delivered = 0;
    const firstEvent = runtime.events.length;
    for (let r = 0; r < scenario.rounds; r += 1) {
      log(`Round ${r + 1} of ${scenario.rounds}…`);
      await round(`m${r}`);
    }
    await settle(3_000);

    const invocations = new Map<string, number>();
    const records = new Map<string, number>();
    for (const event of runtime.events.slice(firstEvent)) {
      if (event.event === 'request') add(invocations, `route ${String(event['route'])}`, 1);
      if (isBusyBatch(event)) {
        const mapping = shortName(String(event['mapping']));
        add(invocations, mapping, 1);
        add(records, mapping, Number(event['records']));
      }
    }
    return {
      scenario,
      messages: rooms * scenario.rounds,
      deliveries: delivered,
      dynamoDb: new Map(dynamo.counts),
      sqs: new Map(sqs.counts),
      invocations,
      records,
    };
  } finally {
    await stop();
  }
}

const isBusyBatch = (event: RuntimeEvent) => event.event === 'batch' && Number(event['records']) > 0;
const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

export function formatRequestsPerMessage(result: RequestsPerMessage): string {
  const per = (n: number) => (n / result.messages).toFixed(2);
  const rows = (title: string, counts: ReadonlyMap<string, number>) => [
    ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `| ${title} | ${key} | ${n} | ${per(n)} |`),
    `| ${title} | **total** | ${total(counts)} | **${per(total(counts))}** |`,
  ];
  const { rooms, membersPerRoom } = result.scenario;
  return [
    `${result.messages} messages into ${rooms} rooms of ${membersPerRoom} members; ${result.deliveries} deliveries (one management API post each).`,
    '',
    '| kind | operation and resource | count | per message |',
    '|---|---|---:|---:|',
    ...rows('DynamoDB', result.dynamoDb),
    ...rows('SQS', result.sqs),
    ...rows('invocations', result.invocations),
    ...[...result.records.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `| stream or queue records | ${key} | ${n} | ${per(n)} |`),
    `| management API | PostToConnection | ${result.deliveries} | ${per(result.deliveries)} |`,
  ].join('\n');
}
