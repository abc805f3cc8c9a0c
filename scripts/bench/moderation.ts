/**
 * Moderation benchmarks:
 * - detector precision and recall on the labelled set in
 *   test/fixtures/moderation/labelled.jsonl (docs/moderation.md describes it);
 * - time from sendMessage to the redacted message reaching another member,
 *   through the local runtime (stream, consumer, fan-out), p50 and p99.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runChecks } from '../../lambdas/domain/moderation/checks';
import { DEFAULT_MODERATION_SETTINGS } from '../../lambdas/domain/moderation/settings';
import { startLocalParley } from '../../test/support/local-parley';

const LABELS = [
  'pii.email',
  'pii.phone',
  'pii.card',
  'pii.iban',
  'pii.ip',
  'pii.awsAccessKey',
  'pii.awsSecretKey',
  'profanity',
  'injection',
] as const;

interface Row {
  readonly text: string;
  readonly labels: readonly string[];
}

/** A reason code as the labelled set names it: profanity and injection are judged as one label each. */
const labelOf = (reason: string): string =>
  reason.startsWith('profanity.') ? 'profanity' : reason.startsWith('injection.') ? 'injection' : reason;

export interface DetectorScore {
  readonly label: string;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
}

/** Message-level scores: a label counts as found when a check reports it anywhere in the message. */
export async function scoreDetectors(
  path = resolve(import.meta.dirname, '../../test/fixtures/moderation/labelled.jsonl'),
): Promise<{ rows: number; scores: DetectorScore[]; misses: string[]; falseAlarms: string[] }> {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
  const counts = new Map<string, { tp: number; fp: number; fn: number }>(LABELS.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const row of rows) {
    const findings = await runChecks(row.text, { roomId: 'bench', senderType: 'human' }, DEFAULT_MODERATION_SETTINGS);
    const found = new Set(findings.map((f) => labelOf(`${f.check}.${f.kind}`)));
    const expected = new Set(row.labels);
    for (const label of LABELS) {
      const c = counts.get(label)!;
      if (found.has(label) && expected.has(label)) c.tp += 1;
      else if (found.has(label)) {
        c.fp += 1;
        falseAlarms.push(`${label}: ${row.text}`);
      } else if (expected.has(label)) {
        c.fn += 1;
        misses.push(`${label}: ${row.text}`);
      }
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const scores = [...counts].map(([label, c]) => ({
    label,
    truePositives: c.tp,
    falsePositives: c.fp,
    falseNegatives: c.fn,
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
  }));
  return { rows: rows.length, scores, misses, falseAlarms };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** Sends `count` messages with an email, one at a time, and times each until another member has it redacted. */
export async function measureRedactionLatency(
  count = 100,
  log: (line: string) => void = () => undefined,
): Promise<{ count: number; p50: number; p99: number; max: number }> {
  // A cold synth on a busy machine can take minutes.
  const parley = await startLocalParley({ startTimeoutMs: 300_000 });
  try {
    const alice = await parley.connect('bench-alice');
    const bob = await parley.connect('bench-bob');
    const { room } = await alice.ok<{ room: { roomId: string } }>('createRoom', { name: 'bench' });
    await bob.ok('joinRoom', { roomId: room.roomId });
    const sendOne = async (i: number) => {
      const started = performance.now();
      // Watched before sending: sendMessage delivers before it acknowledges.
      const delivered = bob
        .waitFor(
          (f) => f.type === 'message' && (f['message'] as { text: string }).text === `mail me at [email]` && !counted.has(f),
          10_000,
        )
        .then((frame) => ({ frame, at: performance.now() }));
      await alice.ok('sendMessage', { roomId: room.roomId, clientMessageId: `b-${i}`, text: `mail me at user${i}@example.com` });
      const { frame, at } = await delivered;
      counted.add(frame);
      return at - started;
    };
    const counted = new Set<unknown>();
    // One message per 250 ms at most: under the sender's rate limit (5/s), now that a send no
    // longer waits for a stream consumer.
    const paced = async (i: number) => {
      const [elapsed] = await Promise.all([sendOne(i), new Promise((resolve) => setTimeout(resolve, 250))]);
      return elapsed;
    };
    for (let i = 0; i < 5; i += 1) await paced(-1 - i); // warm-up: cold starts are not the steady state
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      times.push(await paced(i));
      if ((i + 1) % 25 === 0) log(`redaction latency: ${i + 1}/${count}`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    alice.socket.terminate();
    bob.socket.terminate();
    return { count, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
  } finally {
    await parley.stop();
  }
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;

export function formatModeration(
  detectors: Awaited<ReturnType<typeof scoreDetectors>>,
  latency: Awaited<ReturnType<typeof measureRedactionLatency>>,
): string {
  const lines = [
    `Send to redacted delivery to another member (local runtime, ${latency.count} messages, one at a time): ` +
      `p50 ${latency.p50.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, max ${latency.max.toFixed(0)} ms.`,
    '',
    `Detectors on the labelled set (${detectors.rows} messages, message-level):`,
    '',
    '| label | TP | FP | FN | precision | recall |',
    '|---|---:|---:|---:|---:|---:|',
    ...detectors.scores.map(
      (s) => `| ${s.label} | ${s.truePositives} | ${s.falsePositives} | ${s.falseNegatives} | ${pct(s.precision)} | ${pct(s.recall)} |`,
    ),
    '',
    `Missed: ${detectors.misses.length === 0 ? 'none' : detectors.misses.map((m) => `\`${m}\``).join('; ')}`,
    `False alarms: ${detectors.falseAlarms.length === 0 ? 'none' : detectors.falseAlarms.map((m) => `\`${m}\``).join('; ')}`,
  ];
  return lines.join('\n');
}
