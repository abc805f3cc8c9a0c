import { ConflictError, NotFoundError } from '../../../domain/errors';
import type { ResolutionReason } from '../../../domain/games/dialogue';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { STILL_ANSWERING_MESSAGE } from './take-dialogue-turn';
import { assertCanPlay, requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

/**
 * Ends the dialogue at a member's request: marks it as ending (no turn is
 * taken after that) and queues its resolution; `dialogueResolved` follows.
 * Not while the characters answer a turn (the answer would be lost). Asking
 * again while it ends answers the same and queues the resolution again,
 * which the worker writes once.
 */
export async function endDialogue(
  deps: Pick<DialogueDeps, 'rooms' | 'dialogues' | 'jobs'>,
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
    if (dialogue.pendingTurn !== undefined) throw new ConflictError(STILL_ANSWERING_MESSAGE);
    if (!(await deps.dialogues.requestResolution(dialogue.roomId, dialogue.dialogueId, 'requested'))) {
      throw new ConflictError('The dialogue changed meanwhile; fetch it and try again.');
    }
    reason = 'requested';
  }
  await deps.jobs.enqueue({ kind: 'dialogueResolve', roomId: dialogue.roomId, dialogueId: dialogue.dialogueId, reason });
  return { dialogueId: dialogue.dialogueId, resolving: reason };
}
