/**
 * The imposter game on the local runtime: what a round costs in requests,
 * counted (every DynamoDB and SQS request of the functions goes through a
 * counting proxy, as in requests-per-message.ts), and how long concurrent
 * votes take to end a round, against a baseline measured in the same run:
 * the ack of a plain sendMessage in a chat room.
 *
 * Each round: 3 people and the hidden AI (the offline model); each person
 * writes one line, the AI answers once, then the 3 votes land at once and
 * the last one ends the round. Timings are medians over the rounds.
 *
 *   npm run bench -- imposter
 */
import type { Frame, TestClient } from '../../test/support/local-parley';
import { type RequestCounts, startCountedRuntime } from './request-counter';

export interface ImposterScenario {
  readonly rounds: number;
  /** sendMessage acks timed for the baseline. */
  readonly baselineMessages: number;
}

export interface ImposterResult {
  readonly scenario: ImposterScenario;
  /** Median ms from sending sendMessage to its ack, in a chat room of the same 3 people. */
  readonly sendMessageAckMs: number;
  /** Median ms from sending the 3 votes at once to the last client's roundEnded. */
  readonly votesToEndMs: number;
  /** Median ms from a person's line to the AI's answer (its deliberate pace: 2 to 12 s). */
  readonly aiAnswerMs: number;
  readonly dynamoDb: RequestCounts;
  readonly sqs: RequestCounts;
  /** Management API posts: the frames the clients received during the rounds. */
  readonly posts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

export async function runImposterBenchmark(
  scenario: ImposterScenario = { rounds: 3, baselineMessages: 20 },
  log: (line: string) => void = () => undefined,
): Promise<ImposterResult> {
  log('Starting the local runtime…');
  const { runtime, dynamo, sqs, stop } = await startCountedRuntime();
  try {
    const clients = await Promise.all(['bench-a', 'bench-b', 'bench-c'].map((n) => runtime.connect(n)));
    const [owner, ...others] = clients as [TestClient, TestClient, TestClient];
    const room = async (mode?: string) => {
      const { room: created } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: `bench ${mode ?? 'chat'}`, ...(mode ? { mode } : {}) });
      for (const other of others) await other.ok('joinRoom', { roomId: created.roomId });
      return created.roomId;
    };

    log('Baseline: sendMessage acks…');
    const chat = await room();
    const acks: number[] = [];
    for (let i = 0; i < scenario.baselineMessages; i += 1) {
      const started = performance.now();
      await owner.ok('sendMessage', { roomId: chat, text: `baseline ${i}`, clientMessageId: `b${i}` });
      acks.push(performance.now() - started);
    }

    const game = await room('imposter');
    // Lets the chat room's moderation and agents' streams finish before counting.
    await sleep(3_000);
    dynamo.reset();
    sqs.reset();
    const framesBefore = clients.reduce((n, c) => n + c.frames.length, 0);
    const ends: number[] = [];
    const answers: number[] = [];
    for (let r = 0; r < scenario.rounds; r += 1) {
      log(`Round ${r + 1} of ${scenario.rounds}…`);
      const { round } = await owner.ok<{ round: { roundId: string; yourSeat: number; seats: { seat: number }[] } }>('startRound', { roomId: game, durationSeconds: 300 });
      const seats = [round.yourSeat];
      for (const other of others) seats.push((await other.ok<{ round: { yourSeat: number } }>('getRound', { roomId: game })).round.yourSeat);
      const agentSeat = round.seats.map((s) => s.seat).find((s) => !seats.includes(s))!;
      const isOf = (type: string) => (f: Frame) => f.type === type && JSON.stringify(f).includes(round.roundId);
      for (const [i, client] of clients.entries()) {
        await client.ok('sendRoundLine', { roomId: game, roundId: round.roundId, clientLineId: `r${r}l${i}`, text: `line ${i} about pizza and weather` });
      }
      const lastLine = performance.now();
      await owner.waitFor((f) => isOf('roundLine')(f) && (f['line'] as { seat: number }).seat === agentSeat, 60_000);
      answers.push(performance.now() - lastLine);
      const started = performance.now();
      await Promise.all(clients.map((c) => c.request('castVote', { roomId: game, roundId: round.roundId, seat: agentSeat })));
      await Promise.all(clients.map((c) => c.waitFor(isOf('roundEnded'), 30_000)));
      ends.push(performance.now() - started);
    }
    // The AI's turns on chat states that moved on still run, and find nothing to do: they are part of the cost.
    log('Letting the dropped AI turns run…');
    await sleep(15_000);
    return {
      scenario,
      sendMessageAckMs: median(acks),
      votesToEndMs: median(ends),
      aiAnswerMs: median(answers),
      dynamoDb: new Map(dynamo.counts),
      sqs: new Map(sqs.counts),
      posts: clients.reduce((n, c) => n + c.frames.length, 0) - framesBefore,
    };
  } finally {
    await stop();
  }
}

export function formatImposter(result: ImposterResult): string {
  const rounds = result.scenario.rounds;
  const per = (n: number) => (n / rounds).toFixed(1);
  const rows = (title: string, counts: ReadonlyMap<string, number>) => [
    ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `| ${title} | ${key} | ${n} | ${per(n)} |`),
    `| ${title} | **total** | ${total(counts)} | **${per(total(counts))}** |`,
  ];
  return [
    `${rounds} rounds of 3 people and the hidden AI: 3 lines, 1 AI line, 3 votes at once each.`,
    '',
    '| figure | median ms | ratio to the sendMessage ack |',
    '|---|---:|---:|',
    `| sendMessage ack in a chat room (baseline) | ${result.sendMessageAckMs.toFixed(0)} | 1.00 |`,
    `| 3 votes at once → roundEnded at every client | ${result.votesToEndMs.toFixed(0)} | ${(result.votesToEndMs / result.sendMessageAckMs).toFixed(2)} |`,
    `| last line → the AI's answer (its pace, by design) | ${result.aiAnswerMs.toFixed(0)} | ${(result.aiAnswerMs / result.sendMessageAckMs).toFixed(2)} |`,
    '',
    '| kind | operation and resource | count | per round |',
    '|---|---|---:|---:|',
    ...rows('DynamoDB', result.dynamoDb),
    ...rows('SQS', result.sqs),
    `| management API | PostToConnection | ${result.posts} | ${per(result.posts)} |`,
  ].join('\n');
}
