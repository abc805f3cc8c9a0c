import type { DeliveryReport } from '../../../domain/delivery';
import type { DialogueTurn } from '../../../domain/games/dialogue';
import { applyModelTurn, dialogueView, optionsOf, PROMPT_TURNS, resolutionAfterTurn, turnPrompt, turnView } from '../../../domain/games/dialogue-rules';
import type { AnsweredTurn } from '../../../domain/games/dialogue-ports';
import type { DialogueJob } from '../../../domain/games/jobs';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import { askTurn, type DialogueModelDeps, type ModelFailure } from './dialogue-model';
import { isoAt, type DialogueDeps } from './dialogue-deps';

export type AnswerTurnDeps = Pick<DialogueDeps, 'dialogues' | 'jobs' | 'audit' | 'clock' | 'connections' | 'gateway'> & DialogueModelDeps;

export type AnswerTurnOutcome =
  | { readonly kind: 'skipped'; readonly why: 'dialogueGone' | 'notPending' | 'turnGone' }
  | {
      readonly kind: 'answered';
      readonly stateKept: boolean;
      /** The model's failed attempts (a kept state follows MODEL_ATTEMPTS of them). */
      readonly failures: readonly ModelFailure[];
      readonly resolving?: 'goal' | 'turnLimit';
      readonly delivery?: DeliveryReport;
    };

type DialogueTurnJob = Extract<DialogueJob, { kind: 'dialogueTurn' }>;

/**
 * Answers the player's pending turn: asks the model for the characters'
 * replies through the `dialogue_turn` tool (a malformed answer is asked for
 * once more, then the state is kept and the turn is answered with no
 * replies, `stateKept`: a turn is never lost), applies the changes, and
 * stores the turn with the new state only while it is still pending, so a
 * job delivered twice answers once. Records `dialogue.progressed` (the
 * player as actor), sends `dialogueProgressed` to the room, and queues the
 * resolution when the goal is reached or the turns have run out.
 */
export async function answerTurn(deps: AnswerTurnDeps, job: DialogueTurnJob): Promise<AnswerTurnOutcome> {
  const dialogue = await deps.dialogues.getDialogue(job.roomId, job.dialogueId);
  if (!dialogue) return { kind: 'skipped', why: 'dialogueGone' };
  if (dialogue.pendingTurn !== job.turn) {
    // Answered already: its audit entry (idempotent) and a resolution whose queueing may have failed are done again.
    if (dialogue.turn >= job.turn) await finishAnswered(deps, job, dialogue.resolving);
    return { kind: 'skipped', why: 'notPending' };
  }
  const [player, history] = await Promise.all([
    deps.dialogues.getTurn(job.dialogueId, job.turn),
    deps.dialogues.recentTurns(job.dialogueId, PROMPT_TURNS),
  ]);
  if (!player?.text || !player.playerId) return { kind: 'skipped', why: 'turnGone' };

  const transcript = history.filter((t) => t.turn < job.turn);
  const answer = await askTurn(deps, turnPrompt(dialogue, transcript, { turn: job.turn, text: player.text }));
  const applied = answer.value ? applyModelTurn(dialogue.characters, answer.value) : undefined;
  const { clientTurnId: _client, ...playerPart } = player;
  const turn: DialogueTurn = {
    ...playerPart,
    replies: applied?.replies ?? [],
    changes: applied?.changes ?? [],
    at: isoAt(deps.clock),
    ...(applied ? {} : { stateKept: true }),
  };
  const after = { ...dialogue, turn: job.turn, characters: applied?.characters ?? dialogue.characters };
  const resolving = resolutionAfterTurn(after, answer.value?.goalReached ?? false);
  const answered: AnsweredTurn = {
    turn,
    characters: after.characters,
    // A kept state keeps the options offered before: the player picks again.
    options: answer.value ? optionsOf(answer.value.options) : dialogue.options,
    ...(resolving ? { resolving } : {}),
  };
  if (!(await deps.dialogues.completeTurn(job.roomId, answered))) return { kind: 'skipped', why: 'notPending' };

  await finishAnswered(deps, job, resolving, { playerId: player.playerId, stateKept: turn.stateKept === true, at: turn.at });
  const { pendingTurn: _pending, ...rest } = after;
  const next = { ...rest, options: answered.options, ...(resolving ? { resolving } : {}) };
  const delivery = await deliverToRoom(deps, job.roomId, {
    type: 'dialogueProgressed',
    roomId: job.roomId,
    dialogue: dialogueView(next),
    turn: turnView(turn, next),
  });
  return {
    kind: 'answered',
    stateKept: turn.stateKept === true,
    failures: answer.failures,
    ...(resolving === 'goal' || resolving === 'turnLimit' ? { resolving } : {}),
    delivery,
  };
}

/** The audit entry of an answered turn (once per turn) and the resolution it calls for. */
async function finishAnswered(
  deps: Pick<AnswerTurnDeps, 'audit' | 'jobs' | 'dialogues'>,
  job: DialogueTurnJob,
  resolving: string | undefined,
  recorded?: { playerId: string; stateKept: boolean; at: string },
): Promise<void> {
  let entry = recorded;
  if (!entry) {
    const turn = await deps.dialogues.getTurn(job.dialogueId, job.turn);
    if (turn?.playerId) entry = { playerId: turn.playerId, stateKept: turn.stateKept === true, at: turn.at };
  }
  if (entry) {
    await deps.audit.record({
      roomId: job.roomId,
      idempotencyKey: `dialogue.progressed:${job.dialogueId}:${job.turn}`,
      occurredAt: entry.at,
      actor: { type: 'user', id: entry.playerId },
      action: 'dialogue.progressed',
      target: { type: 'dialogue', id: job.dialogueId },
      details: { turn: job.turn, stateKept: entry.stateKept },
    });
  }
  if (resolving === 'goal' || resolving === 'turnLimit') {
    await deps.jobs.enqueue({ kind: 'dialogueResolve', roomId: job.roomId, dialogueId: job.dialogueId, reason: resolving });
  }
}
