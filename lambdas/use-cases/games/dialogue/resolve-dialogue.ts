import type { DeliveryReport } from '../../../domain/delivery';
import type { DialogueOutcome } from '../../../domain/games/dialogue';
import { dialogueView, fallbackOutcome, outcomeOf, PROMPT_TURNS, resolutionPrompt } from '../../../domain/games/dialogue-rules';
import type { DialogueJob } from '../../../domain/games/jobs';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import { askResolution, type DialogueModelDeps, type ModelFailure } from './dialogue-model';
import { isoAt, type DialogueDeps } from './dialogue-deps';

export type ResolveDialogueDeps = Pick<DialogueDeps, 'dialogues' | 'audit' | 'clock' | 'connections' | 'gateway'> & DialogueModelDeps;

export type ResolveOutcome =
  | { readonly kind: 'skipped'; readonly why: 'dialogueGone' | 'resolved' }
  | { readonly kind: 'resolved'; readonly fallback: boolean; readonly failures: readonly ModelFailure[]; readonly delivery?: DeliveryReport };

type ResolveJob = Extract<DialogueJob, { kind: 'dialogueResolve' }>;

/**
 * Resolves a dialogue: asks the model for the result and a summary through
 * the `dialogue_resolution` tool (a malformed answer asked for once more,
 * then Parley writes the outcome from the characters' state:
 * fallbackOutcome), stores the outcome and frees the room for another
 * dialogue in one write that succeeds once, records `dialogue.resolved`
 * (actor system `dialogue`) and sends `dialogueResolved` to the room.
 */
export async function resolveDialogue(deps: ResolveDialogueDeps, job: ResolveJob): Promise<ResolveOutcome> {
  const dialogue = await deps.dialogues.getDialogue(job.roomId, job.dialogueId);
  if (!dialogue) return { kind: 'skipped', why: 'dialogueGone' };
  if (dialogue.status === 'resolved') {
    // Its audit entry may be what failed last time: recording it again stores one.
    if (dialogue.outcome) await recordResolved(deps, job, dialogue.outcome);
    return { kind: 'skipped', why: 'resolved' };
  }
  const reason = dialogue.resolving ?? job.reason;
  const transcript = await deps.dialogues.recentTurns(job.dialogueId, PROMPT_TURNS);
  const answer = await askResolution(deps, resolutionPrompt(dialogue, transcript, reason));
  const resolvedAt = isoAt(deps.clock);
  const outcome = answer.value ? outcomeOf(dialogue, reason, answer.value, resolvedAt) : fallbackOutcome(dialogue, reason, resolvedAt);
  if (!(await deps.dialogues.resolve(job.roomId, job.dialogueId, outcome))) return { kind: 'skipped', why: 'resolved' };

  await recordResolved(deps, job, outcome);
  const { resolving: _resolving, pendingTurn: _pending, ...rest } = dialogue;
  const view = dialogueView({ ...rest, status: 'resolved', options: [], outcome });
  const delivery = await deliverToRoom(deps, job.roomId, { type: 'dialogueResolved', roomId: job.roomId, dialogue: view, outcome });
  return { kind: 'resolved', fallback: answer.value === undefined, failures: answer.failures, delivery };
}

const recordResolved = (deps: Pick<ResolveDialogueDeps, 'audit'>, job: ResolveJob, outcome: DialogueOutcome) =>
  deps.audit.record({
    roomId: job.roomId,
    idempotencyKey: `dialogue.resolved:${job.dialogueId}`,
    occurredAt: outcome.resolvedAt,
    actor: { type: 'system', id: 'dialogue' },
    action: 'dialogue.resolved',
    target: { type: 'dialogue', id: job.dialogueId },
    details: { result: outcome.result, reason: outcome.reason, turns: outcome.turns },
  });
