/**
 * The agents benchmark, on the local runtime (`npm start` as a child
 * process) with the built-in offline model behind the local Bedrock
 * endpoint. One person mentions an agent in a room of `members`; another
 * member's client timestamps what arrives. Measured per message, one at a
 * time after a warm-up:
 *
 * - send → the message's moderated version at the other member (the hop
 *   every agent waits for: moderation runs first);
 * - send → the reply's first `agentDelta` at the other member. The offline
 *   model emits its first piece as soon as it is asked, so this is Parley's
 *   own path (stream, dispatcher, FIFO queue, worker, prompt, Bedrock
 *   endpoint, fan-out), without model time;
 * - PostToConnection calls per reply, against one post per token.
 *
 *   npm run bench -- agents
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalParley, type Frame, type TestClient } from '../../test/support/local-parley';

export interface AgentsBenchmarkOptions {
  readonly samples: number;
  readonly warmUp: number;
  /** People in the room, the sender included. */
  readonly members: number;
}

export const DEFAULT_AGENTS_BENCHMARK: AgentsBenchmarkOptions = { samples: 40, warmUp: 4, members: 5 };

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface AgentsBenchmarkResult {
  readonly options: AgentsBenchmarkOptions;
  readonly toModerated: Percentiles;
  readonly toFirstDelta: Percentiles;
  /** From the moderated message to the first delta: dispatcher, queue, worker, model call, fan-out. */
  readonly moderatedToFirstDelta: Percentiles;
  readonly replies: number;
  /** Per reply, means. */
  readonly modelDeltas: number;
  readonly outputTokens: number;
  readonly deltaFrames: number;
  /** PostToConnection calls per reply, all members, as the worker counted them. */
  readonly posts: number;
  readonly postsIfPerToken: number;
  readonly postsIfPerDelta: number;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export async function runAgentsBenchmark(
  options: AgentsBenchmarkOptions = DEFAULT_AGENTS_BENCHMARK,
  log: (line: string) => void = () => undefined,
): Promise<AgentsBenchmarkResult> {
  const parley = await startLocalParley();
  const clients: TestClient[] = [];
  try {
    for (let i = 0; i < options.members; i += 1) clients.push(await parley.connect(`bench-agents-${i}`));
    const [sender, watcher] = clients as [TestClient, TestClient];
    const { room } = await sender.ok<{ room: { roomId: string } }>('createRoom', { name: 'agents bench' });
    for (const member of clients.slice(1)) await member.ok('joinRoom', { roomId: room.roomId });
    await sender.ok('addAgent', { roomId: room.roomId, agent: { handle: 'helper', dailyTokenBudget: 10_000_000 } });

    const toModerated: number[] = [];
    const toFirstDelta: number[] = [];
    const between: number[] = [];
    const replyIds: string[] = [];
    const tokens: number[] = [];
    const frames: number[] = [];
    const ask = async (i: number, record: boolean) => {
      const text = `@helper question ${i}: what should we do next?`;
      const started = performance.now();
      // Other members see a message once moderation has passed it (inline in sendMessage, so
      // possibly before the sender's ack): watch for it before sending, by its unique text.
      const moderated = watcher
        .waitFor((f) => {
          if (f.type !== 'message' && f.type !== 'messageUpdated') return false;
          const message = f['message'] as { text: string; moderation?: string };
          return message.text === text && message.moderation !== 'pending';
        }, 15_000)
        .then(() => performance.now());
      await sender.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, clientMessageId: `q-${i}`, text });
      const firstDelta = watcher
        .waitFor((f) => f.type === 'agentDelta' && !replyIds.includes(String(f['replyId'])) && f['roomId'] === room.roomId, 15_000)
        .then((f) => ({ at: performance.now(), replyId: String(f['replyId']) }));
      const [moderatedAt, delta] = await Promise.all([moderated, firstDelta]);
      const done = await watcher.waitFor((f) => f.type === 'agentDone' && f['replyId'] === delta.replyId, 15_000);
      replyIds.push(delta.replyId);
      if (!record) return;
      toModerated.push(moderatedAt - started);
      toFirstDelta.push(delta.at - started);
      between.push(delta.at - moderatedAt);
      tokens.push((done['message'] as { agent: { outputTokens: number } }).agent.outputTokens);
      frames.push(watcher.frames.filter((f: Frame) => f.type === 'agentDelta' && f['replyId'] === delta.replyId).length);
    };
    for (let i = 0; i < options.warmUp; i += 1) await ask(-1 - i, false);
    for (let i = 0; i < options.samples; i += 1) {
      await ask(i, true);
      if ((i + 1) % 10 === 0) log(`agents: ${i + 1}/${options.samples}`);
    }

    // The worker logs what it sent for each reply: model deltas, frames and posts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const jobs = readFileSync(join(parley.dataDir, 'functions.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"agent job done"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { outcome: string; deltas?: number; flushes?: number; posts?: number })
      .filter((job) => job.outcome === 'replied')
      .slice(options.warmUp);
    const modelDeltas = mean(jobs.map((j) => j.deltas ?? 0));
    const outputTokens = mean(tokens);
    const deltaFrames = mean(frames);
    return {
      options,
      toModerated: percentiles(toModerated),
      toFirstDelta: percentiles(toFirstDelta),
      moderatedToFirstDelta: percentiles(between),
      replies: jobs.length,
      modelDeltas,
      outputTokens,
      deltaFrames,
      posts: mean(jobs.map((j) => j.posts ?? 0)),
      // One post per token (or per model delta) to each member, plus the final frame.
      postsIfPerToken: (outputTokens + 1) * options.members,
      postsIfPerDelta: (modelDeltas + 1) * options.members,
    };
  } finally {
    for (const client of clients) client.socket.terminate();
    await parley.stop();
  }
}

const ms = (p: Percentiles) => `${p.p50.toFixed(0)} | ${p.p99.toFixed(0)} | ${p.max.toFixed(0)}`;

export function formatAgents(result: AgentsBenchmarkResult): string {
  const { options } = result;
  return [
    `${options.samples} mentions, one at a time after ${options.warmUp} warm-up ones, in a room of ${options.members} people; ` +
      'timed at another member’s client. Offline model (first piece at once, then a word every 20 ms).',
    '',
    '| from send to… | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|',
    `| the moderated message at another member | ${ms(result.toModerated)} |`,
    `| **the reply’s first agentDelta at another member** | ${ms(result.toFirstDelta)} |`,
    `| (moderated message → first agentDelta) | ${ms(result.moderatedToFirstDelta)} |`,
    '',
    `Per reply (mean of ${result.replies}): ${result.outputTokens.toFixed(1)} output tokens, ${result.modelDeltas.toFixed(1)} model deltas, ` +
      `${result.deltaFrames.toFixed(1)} agentDelta frames plus one agentDone.`,
    '',
    '| PostToConnection calls per reply (all members) | calls | ratio |',
    '|---|---:|---:|',
    `| coalesced (Parley) | ${result.posts.toFixed(1)} | 1 |`,
    `| one post per model delta | ${result.postsIfPerDelta.toFixed(1)} | ${(result.postsIfPerDelta / result.posts).toFixed(1)} × |`,
    `| one post per token | ${result.postsIfPerToken.toFixed(1)} | ${(result.postsIfPerToken / result.posts).toFixed(1)} × |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runAgentsBenchmark(DEFAULT_AGENTS_BENCHMARK, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${formatAgents(result)}\n`);
}
