import type { ReceivedFrame, WireMessage } from '../../lambdas/domain/protocol';
import { SmokeClient, SmokeError } from './smoke-client';
import type { SmokeUser, SmokeUsers } from './users';

/** One step's outcome: its name, whether it passed, how long it took, and what it saw. */
export interface StepResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

export interface SmokeReport {
  /** The test's steps, up to and including the first that failed. */
  readonly steps: readonly StepResult[];
  /** What the run undid, attempted whether the steps passed or not. */
  readonly cleanup: readonly StepResult[];
  /** The first step that failed, if any (a failed cleanup step counts too). */
  readonly failure?: StepResult;
  /** What the run created and could not remove. */
  readonly leftBehind: readonly string[];
}

export interface SmokeOptions {
  /** `wss://…/<stage>` (deployed) or `ws://127.0.0.1:3001` (local). */
  readonly webSocketUrl: string;
  readonly users: SmokeUsers;
  /** Names this run's room, users and messages. */
  readonly runId: string;
  /** How long a request or a delivery may take. */
  readonly stepTimeoutMs: number;
  /** How long the agent may take to answer (queue, model, stream). */
  readonly agentTimeoutMs: number;
  /** Pass the agent step on a `notice` (e.g. no model access yet) instead of failing it. */
  readonly acceptAgentNotice: boolean;
  /** Called after each step, to print it. */
  readonly onStep?: (step: StepResult, phase: 'test' | 'cleanup') => void;
}

/** The agent the smoke test adds and mentions. */
export const SMOKE_AGENT_HANDLE = 'smoke';

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const isMessage = (roomId: string, test: (message: WireMessage) => boolean) =>
  (frame: ReceivedFrame): frame is Extract<ReceivedFrame, { type: 'message' }> =>
    frame.type === 'message' && frame.roomId === roomId && test(frame.message);

/** Thrown to stop the steps after the first failure (already recorded). */
class StepFailed extends Error {}

/**
 * The smoke test: two people over the real WebSocket, through every part
 * of Parley a deployment needs working. The first user connects, creates a
 * room (with the shortest retention, so its messages expire after a day)
 * and the second joins; a message reaches the second; history holds it; an
 * agent added to the room answers an @mention with a streamed reply; a
 * message with an email address arrives redacted. Then it removes what it
 * can: the agent, the second member, the room (deleteRoom: its messages are
 * archived and removed by TTL, its memory deleted), the connections and the
 * users it created. The room's tombstone (ids are never reused), the audit
 * entries and the redacted message's original remain, and `leftBehind` says
 * so.
 *
 * Stops at the first failed step; cleanup runs anyway.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const steps: StepResult[] = [];
  const cleanup: StepResult[] = [];
  const leftBehind: string[] = [];
  const timeout = options.stepTimeoutMs;

  const record = async (phase: 'test' | 'cleanup', name: string, action: () => Promise<string>): Promise<boolean> => {
    const started = performance.now();
    let result: StepResult;
    try {
      const detail = await action();
      result = { name, ok: true, ms: Math.round(performance.now() - started), detail };
    } catch (error) {
      result = { name, ok: false, ms: Math.round(performance.now() - started), detail: describeError(error) };
    }
    (phase === 'test' ? steps : cleanup).push(result);
    options.onStep?.(result, phase);
    return result.ok;
  };
  const step = async (name: string, action: () => Promise<string>): Promise<void> => {
    if (!(await record('test', name, action))) throw new StepFailed(name);
  };

  const created: SmokeUser[] = [];
  let first: SmokeClient | undefined;
  let second: SmokeClient | undefined;
  let roomId: string | undefined;
  let secondUserId: string | undefined;
  let agentAdded = false;
  let redactedSent = false;

  try {
    await step('create users', async () => {
      created.push(await options.users.create('a'));
      created.push(await options.users.create('b'));
      return `${created.map((user) => user.name).join(', ')} (${options.users.description})`;
    });
    const [alice, bob] = created as [SmokeUser, SmokeUser];

    await step('connect first user', async () => {
      first = await SmokeClient.open(options.webSocketUrl, alice.name, alice.token, timeout);
      return alice.name;
    });
    await step('connect second user', async () => {
      second = await SmokeClient.open(options.webSocketUrl, bob.name, bob.token, timeout);
      return bob.name;
    });
    const a = first as SmokeClient;
    const b = second as SmokeClient;

    await step('create room', async () => {
      const { room } = await a.ok<{ room: { roomId: string } }, 'createRoom'>(
        'createRoom',
        { name: `smoke-${options.runId}`, visibility: 'public' },
        timeout,
      );
      roomId = room.roomId;
      return `smoke-${options.runId} (${room.roomId})`;
    });
    const room = roomId as string;

    await step('shorten retention', async () => {
      await a.ok<unknown, 'setRetention'>('setRetention', { roomId: room, days: 1 }, timeout);
      return 'messages of this room expire after 1 day';
    });

    await step('second user joins', async () => {
      const { membership } = await b.ok<{ membership: { userId: string; role: string } }, 'joinRoom'>(
        'joinRoom',
        { roomId: room },
        timeout,
      );
      secondUserId = membership.userId;
      return `as ${membership.role}`;
    });

    let messageId = '';
    await step('message delivered', async () => {
      const text = `hello from the smoke test ${options.runId}`;
      const sent = await a.ok<{ messageId: string }, 'sendMessage'>(
        'sendMessage',
        { roomId: room, clientMessageId: `smoke-hello-${options.runId}`, text },
        timeout,
      );
      messageId = sent.messageId;
      await b.waitFor('the message', isMessage(room, (m) => m.messageId === sent.messageId && m.text === text), timeout);
      return `the second user received ${sent.messageId}`;
    });

    await step('history', async () => {
      const page = await b.ok<{ items: Array<{ messageId: string }> }, 'getHistory'>(
        'getHistory',
        { roomId: room, limit: 10 },
        timeout,
      );
      if (!page.items.some((item) => item.messageId === messageId)) {
        throw new SmokeError(`getHistory returned ${page.items.length} messages, without ${messageId}`);
      }
      return `${page.items.length} message(s), the one sent included`;
    });

    await step('add agent', async () => {
      await a.ok<unknown, 'addAgent'>(
        'addAgent',
        {
          roomId: room,
          agent: {
            handle: SMOKE_AGENT_HANDLE,
            displayName: 'Smoke',
            systemPrompt: 'You answer smoke tests of a chat service in one short sentence.',
            maxOutputTokens: 64,
          },
        },
        timeout,
      );
      agentAdded = true;
      return `@${SMOKE_AGENT_HANDLE}`;
    });

    await step('agent reply', async () => {
      const sent = await a.ok<{ messageId: string }, 'sendMessage'>(
        'sendMessage',
        { roomId: room, clientMessageId: `smoke-agent-${options.runId}`, text: `@${SMOKE_AGENT_HANDLE} please say hello` },
        timeout,
      );
      const answer = await b.waitFor(
        'an agent reply (agentDone) or notice',
        (frame) =>
          (frame.type === 'agentDone' && frame.roomId === room && frame.message.agent?.triggerMessageId === sent.messageId) ||
          (frame.type === 'notice' && frame.roomId === room),
        options.agentTimeoutMs,
      );
      if (answer.type === 'notice') {
        const said = `the agent did not answer: notice ${answer.code}: ${answer.text}`;
        if (options.acceptAgentNotice) return `${said} (accepted)`;
        throw new SmokeError(
          `${said}. Check Bedrock model access (docs/agents.md), or pass --accept-agent-notice to accept a notice`,
        );
      }
      if (answer.type !== 'agentDone') throw new SmokeError(`unexpected ${answer.type} frame`);
      const deltas = b.frames.filter((f) => f.type === 'agentDelta' && f.replyId === answer.replyId).length;
      if (deltas === 0) throw new SmokeError('the reply arrived without any agentDelta: it was not streamed');
      return `streamed in ${deltas} part(s), ${answer.message.text.length} characters${answer.incomplete ? ', incomplete' : ''}`;
    });

    await step('redaction', async () => {
      const address = `smoke-${options.runId}@example.com`;
      const sent = await a.ok<{ messageId: string }, 'sendMessage'>(
        'sendMessage',
        { roomId: room, clientMessageId: `smoke-pii-${options.runId}`, text: `write to ${address}` },
        timeout,
      );
      redactedSent = true;
      const received = await b.waitFor('the message with an email address', isMessage(room, (m) => m.messageId === sent.messageId), timeout);
      if (received.message.text.includes(address) || received.message.moderation !== 'redacted') {
        throw new SmokeError(
          `the second user received it ${received.message.moderation ?? 'unmoderated'}, ` +
            `${received.message.text.includes(address) ? 'with' : 'without'} the address`,
        );
      }
      return `received as "${received.message.text}"`;
    });
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  } finally {
    const a = first;
    const b = second;
    if (roomId !== undefined && a !== undefined && agentAdded) {
      await record('cleanup', 'remove agent', async () => {
        await a.ok<unknown, 'removeAgent'>('removeAgent', { roomId: roomId as string, handle: SMOKE_AGENT_HANDLE }, timeout);
        return `@${SMOKE_AGENT_HANDLE}`;
      });
    }
    if (roomId !== undefined && secondUserId !== undefined) {
      await record('cleanup', 'second user leaves', async () => {
        if (b !== undefined) {
          await b.ok<unknown, 'leaveRoom'>('leaveRoom', { roomId: roomId as string }, timeout);
          return 'left the room';
        }
        await (a as SmokeClient).ok<unknown, 'removeMember'>('removeMember', { roomId: roomId as string, userId: secondUserId as string }, timeout);
        return 'removed by the owner';
      });
    }
    let roomDeleted = false;
    if (roomId !== undefined && a !== undefined) {
      await record('cleanup', 'delete room', async () => {
        await a.ok<unknown, 'deleteRoom'>('deleteRoom', { roomId: roomId as string, confirm: `smoke-${options.runId}` }, timeout);
        roomDeleted = true;
        return `smoke-${options.runId}`;
      });
    }
    if (a !== undefined || b !== undefined) {
      await record('cleanup', 'disconnect', async () => {
        await Promise.all([a?.close(), b?.close()]);
        return 'both connections closed';
      });
    }
    for (const user of created) {
      await record('cleanup', 'delete user', () => options.users.remove(user));
    }
    if (roomId !== undefined) {
      leftBehind.push(
        ...(roomDeleted
          ? [
              `the deleted room's tombstone smoke-${options.runId} (${roomId}): a room id is never reused`,
              "its messages, until TTL removes them (within about two days of the deletion), then in the message archive for the archive's lifetime",
            ]
          : [
              `the room smoke-${options.runId} (${roomId}) with its owner's membership (deleting it failed)`,
              "its messages, until their 1-day retention expires (then in the message archive, for the archive's lifetime)",
              "the room's memory (summaries and windows derived from its messages)",
            ]),
        "their entries in the room's audit trail (append-only; copied to the Object Lock bucket on AWS)",
      );
      if (agentAdded) leftBehind.push("the agent's daily token usage record and its audit entries");
      if (redactedSent) leftBehind.push("the redacted message's original, kept for moderators (30 days by default)");
    }
    for (const result of cleanup.filter((c) => !c.ok)) leftBehind.push(`${result.name} failed: ${result.detail}`);
  }

  const failure = steps.find((s) => !s.ok) ?? cleanup.find((c) => !c.ok);
  return { steps, cleanup, ...(failure === undefined ? {} : { failure }), leftBehind };
}
