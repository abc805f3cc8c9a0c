import { ConflictError, NotFoundError } from '../../../domain/errors';
import type { ResolutionReason } from '../../../domain/games/dialogue';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { STILL_ANSWERING_MESSAGE } from './take-dialogue-turn';
import { assertCanPlay, requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

/**
 * How long a turn may wait for its answer before a member may end the
 * dialogue without it: past the worker's attempts (3 of at most 90 s each),
 * the job has reached its dead-letter queue and no answer is coming.
 */
export const ABANDONED_TURN_MS = 5 * 60_000;

/** True when the pending turn was taken ABANDONED_TURN_MS ago or more. */
async function answerAbandoned(deps: Pick<DialogueDeps, 'dialogues' | 'clock'>, dialogueId: string, turn: number): Promise<boolean> {
  const pending = await deps.dialogues.getTurn(dialogueId, turn);
  return pending !== undefined && deps.clock.now() - Date.parse(pending.at) >= ABANDONED_TURN_MS;
}

/**
 * Ends the dialogue at a member's request: marks it as ending (no turn is
 * taken after that) and queues its resolution; `dialogueResolved` follows.
 * Not while the characters answer a turn (the answer would be lost), unless
 * that answer has not come for ABANDONED_TURN_MS (its job failed for good:
 * the dialogue must not stay stuck). Asking
 * again while it ends answers the same and queues the resolution again,
 * which the worker writes once.
 */
export async function endDialogue(
  deps: Pick<DialogueDeps, 'rooms' | 'dialogues' | 'jobs' | 'clock'>,
  identity: Identity,
  request: GameRequestOf<'endDialogue'>,
): Promise<{ dialogueId: string; resolving: ResolutionReason }> {
  const { membership } = await requireDialogueRoom(deps, request.roomId, identity.userId);
  assertCanPlay(membership);
  const dialogue = await deps.dialogues.getDialogue(request.roomId, request.dialogueId);
  if (!dialogue) throw new NotFoundError(`No dialogue "${request.dialogueId}" in this room.`);
  if (dialogue.status === 'resolved') throw new ConflictError('This dialogue has ended already.');
  let reason = dialogue.resolving;
  if (reason === undefined) {
    const abandonPending = dialogue.pendingTurn !== undefined && (await answerAbandoned(deps, dialogue.dialogueId, dialogue.pendingTurn));
    if (dialogue.pendingTurn !== undefined && !abandonPending) throw new ConflictError(STILL_ANSWERING_MESSAGE);
    if (!(await deps.dialogues.requestResolution(dialogue.roomId, dialogue.dialogueId, 'requested', { abandonPending }))) {
      throw new ConflictError('The dialogue changed meanwhile; fetch it and try again.');
    }
    reason = 'requested';
  }
  await deps.jobs.enqueue({ kind: 'dialogueResolve', roomId: dialogue.roomId, dialogueId: dialogue.dialogueId, reason });
  return { dialogueId: dialogue.dialogueId, resolving: reason };
}
