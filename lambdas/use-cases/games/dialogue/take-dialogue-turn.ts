import { ConflictError, NotFoundError, ValidationError } from '../../../domain/errors';
import type { Dialogue } from '../../../domain/games/dialogue';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { assertCanPlay, isoAt, requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

export const STILL_ANSWERING_MESSAGE = 'The characters are still answering; wait for their reply.';

/** Refuses a turn in a dialogue that has ended or is ending. */
export function assertOpen(dialogue: Dialogue): void {
  if (dialogue.status === 'resolved') throw new ConflictError('This dialogue has ended.');
  if (dialogue.resolving !== undefined) throw new ConflictError('This dialogue is ending; its outcome follows.');
}

/**
 * The player's turn: one of the options offered now (`optionId`, its text
 * the line unless the player worded it), or a free line (`text`). Stores
 * the player's part and marks it pending in one conditional write, then
 * queues the characters' answer (the dialogue worker); the ack carries the
 * turn's number, and `dialogueProgressed` follows. One turn at a time: a
 * turn while the characters answer is refused. A retried request (same
 * `clientTurnId`) gets the same turn back and queues its answer again,
 * which the worker does only once.
 */
export async function takeDialogueTurn(
  deps: Pick<DialogueDeps, 'rooms' | 'dialogues' | 'jobs' | 'clock'>,
  identity: Identity,
  request: GameRequestOf<'takeDialogueTurn'>,
): Promise<{ dialogueId: string; turn: number; duplicate: boolean }> {
  const { membership } = await requireDialogueRoom(deps, request.roomId, identity.userId);
  assertCanPlay(membership);
  if (request.text === undefined && request.optionId === undefined) {
    throw new ValidationError('Choose one of the offered options (optionId) or write a line (text).');
  }
  const dialogue = await deps.dialogues.getDialogue(request.roomId, request.dialogueId);
  if (!dialogue) throw new NotFoundError(`No dialogue "${request.dialogueId}" in this room.`);

  const latest = dialogue.pendingTurn ?? dialogue.turn;
  if (latest > 0) {
    const stored = await deps.dialogues.getTurn(dialogue.dialogueId, latest);
    if (stored?.clientTurnId === request.clientTurnId && stored.playerId === identity.userId) {
      // The first attempt may have stored the turn and failed to queue its answer: queue it again.
      if (dialogue.pendingTurn === latest) await enqueueAnswer(deps, dialogue, latest);
      return { dialogueId: dialogue.dialogueId, turn: latest, duplicate: true };
    }
  }
  assertOpen(dialogue);
  if (dialogue.pendingTurn !== undefined) throw new ConflictError(STILL_ANSWERING_MESSAGE);

  const option = request.optionId === undefined ? undefined : dialogue.options.find((o) => o.optionId === request.optionId);
  if (request.optionId !== undefined && !option) {
    throw new ValidationError(`"${request.optionId}" is not one of the options offered now.`);
  }
  const text = request.text ?? option!.text;
  const turn = dialogue.turn + 1;
  const begun = await deps.dialogues.beginTurn(dialogue.roomId, {
    dialogueId: dialogue.dialogueId,
    turn,
    playerId: identity.userId,
    playerName: identity.displayName,
    text,
    ...(option ? { optionId: option.optionId } : {}),
    clientTurnId: request.clientTurnId,
    at: isoAt(deps.clock),
  });
  if (begun === 'busy') throw new ConflictError(STILL_ANSWERING_MESSAGE);
  if (begun === 'closed') throw new ConflictError('This dialogue has ended or moved on; fetch it again.');
  await enqueueAnswer(deps, dialogue, turn);
  return { dialogueId: dialogue.dialogueId, turn, duplicate: false };
}

const enqueueAnswer = (deps: Pick<DialogueDeps, 'jobs'>, dialogue: Dialogue, turn: number) =>
  deps.jobs.enqueue({ kind: 'dialogueTurn', roomId: dialogue.roomId, dialogueId: dialogue.dialogueId, turn });
