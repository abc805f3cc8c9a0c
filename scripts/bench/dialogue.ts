import { readFileSync } from 'node:fs';
import { startLocalParley } from '../../test/support/local-parley';

/** p50, p99 and max of some durations, in ms. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface DialogueBenchResult {
  /** takeDialogueTurn until its ack: the turn stored, marked pending and queued. */
  readonly turnAck: Latency;
  /** takeDialogueTurn until a second member's socket has dialogueProgressed: queue, worker, model, store, fan-out. */
  readonly turnAnswered: Latency;
  /** endDialogue until dialogueResolved reaches the second member. */
  readonly resolved: Latency;
  /** sendMessage until the second member's socket has the message: the baseline. */
  readonly message: Latency;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

const latencyOf = (times: readonly number[]): Latency => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
};

const loadAverage = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A guided dialogue's turn on the local runtime, with the offline model:
 * the ack, and the answer reaching another member of the room, against a
 * chat message's delivery to the same member in a chat room, alternating
 * one turn and one message so both meet the same machine load. Dialogues
 * of the harbour council (three characters) with neutral lines, each ended
 * after `turnsPerDialogue` turns, whose resolution is timed too.
 */
export async function runDialogueBenchmark(
  options: { readonly dialogues?: number; readonly turnsPerDialogue?: number } = {},
  log: (line: string) => void = () => undefined,
): Promise<DialogueBenchResult> {
  const dialogues = options.dialogues ?? 3;
  const turnsPerDialogue = options.turnsPerDialogue ?? 8;
  const loadBefore = loadAverage();
  const parley = await startLocalParley({ startTimeoutMs: 300_000 });
  try {
    const player = await parley.connect('bench-player');
    const listener = await parley.connect('bench-listener');
    const { room } = await player.ok<{ room: { roomId: string } }>('createRoom', { name: 'bench dialogue', mode: 'dialogue' });
    const { room: chat } = await player.ok<{ room: { roomId: string } }>('createRoom', { name: 'bench chat' });
    await listener.ok('joinRoom', { roomId: room.roomId });
    await listener.ok('joinRoom', { roomId: chat.roomId });

    const turnAck: number[] = [];
    const turnAnswered: number[] = [];
    const resolved: number[] = [];
    const message: number[] = [];
    const sendMessage = async (text: string) => {
      const started = performance.now();
      const arrived = listener.waitFor((f) => f.type === 'message' && (f['message'] as { text: string }).text === text, 10_000);
      await player.ok('sendMessage', { roomId: chat.roomId, clientMessageId: text, text });
      await arrived;
      return performance.now() - started;
    };

    // Warm-up: one dialogue turn and one message start every function once.
    for (let d = 0; d <= dialogues; d += 1) {
      const warm = d === 0;
      const { dialogue } = await player.ok<{ dialogue: { dialogueId: string } }>('startDialogue', { roomId: room.roomId, scenarioId: 'harbour-council' });
      const turns = warm ? 1 : turnsPerDialogue;
      for (let turn = 1; turn <= turns; turn += 1) {
        const started = performance.now();
        const answered = listener.waitFor(
          (f) => f.type === 'dialogueProgressed' && (f['turn'] as { dialogueId: string; turn: number }).dialogueId === dialogue.dialogueId && (f['turn'] as { turn: number }).turn === turn,
          30_000,
        );
        await player.ok('takeDialogueTurn', { roomId: room.roomId, dialogueId: dialogue.dialogueId, clientTurnId: `t${turn}`, text: `Turn ${turn}: the fishing boats have used this harbour for a century.` });
        const acked = performance.now() - started;
        await answered;
        const done = performance.now() - started;
        const baseline = await sendMessage(`d${d}-m${turn}`);
        if (!warm) {
          turnAck.push(acked);
          turnAnswered.push(done);
          message.push(baseline);
        }
        // Under the action budget's refill (2 a second) and the message budget.
        await pause(500);
      }
      const started = performance.now();
      const end = listener.waitFor((f) => f.type === 'dialogueResolved' && (f['dialogue'] as { dialogueId: string }).dialogueId === dialogue.dialogueId, 30_000);
      await player.ok('endDialogue', { roomId: room.roomId, dialogueId: dialogue.dialogueId });
      await end;
      if (!warm) resolved.push(performance.now() - started);
      log(`dialogue: ${d}/${dialogues} dialogues`);
      await pause(500);
    }
    player.socket.terminate();
    listener.socket.terminate();
    return {
      turnAck: latencyOf(turnAck),
      turnAnswered: latencyOf(turnAnswered),
      resolved: latencyOf(resolved),
      message: latencyOf(message),
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await parley.stop();
  }
}

export function formatDialogue(result: DialogueBenchResult): string {
  const row = (label: string, l: Latency) => `| ${label} | ${l.count} | ${l.p50.toFixed(0)} | ${l.p99.toFixed(0)} | ${l.max.toFixed(0)} |`;
  return [
    `Guided dialogue turns on the local runtime with the offline model, to a second member's socket ` +
      `(one at a time; load average before ${result.loadBefore}, after ${result.loadAfter}):`,
    '',
    '| step | count | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    row('takeDialogueTurn → ack', result.turnAck),
    row('takeDialogueTurn → dialogueProgressed', result.turnAnswered),
    row('endDialogue → dialogueResolved', result.resolved),
    row('sendMessage → message (baseline)', result.message),
    '',
    `p50 ratio turn answered / message delivered: ${(result.turnAnswered.p50 / result.message.p50).toFixed(2)}`,
  ].join('\n');
}
