import { fitToBudget, PAGE_BUDGET_BYTES, utf8Bytes } from '../../../domain/frame-budget';
import { NotFoundError } from '../../../domain/errors';
import type { DialogueTurn, DialogueView } from '../../../domain/games/dialogue';
import { DIALOGUE_TURN_HISTORY, dialogueView, turnView } from '../../../domain/games/dialogue-rules';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

/**
 * The room's latest dialogue, active or resolved (or the one named), as
 * the player may see it (a client that reconnects finds the outcome too),
 * with its turns, oldest first; for the room's members, guests included.
 * The turns are cut to fit one frame, the oldest left out first
 * (`turnsCut`).
 */
export async function getDialogue(
  deps: Pick<DialogueDeps, 'rooms' | 'dialogues'>,
  identity: Identity,
  request: GameRequestOf<'getDialogue'>,
): Promise<{ dialogue: DialogueView; turns: DialogueTurn[]; turnsCut: boolean }> {
  await requireDialogueRoom(deps, request.roomId, identity.userId);
  const dialogueId = request.dialogueId ?? (await deps.dialogues.latestDialogueId(request.roomId));
  if (dialogueId === undefined) throw new NotFoundError('This room has had no dialogue yet.');
  const dialogue = await deps.dialogues.getDialogue(request.roomId, dialogueId);
  if (!dialogue) throw new NotFoundError(`No dialogue "${dialogueId}" in this room.`);
  const stored = await deps.dialogues.recentTurns(dialogueId, DIALOGUE_TURN_HISTORY);
  const turns = stored.map(({ clientTurnId: _client, ...turn }) => turnView(turn, dialogue));
  const view = dialogueView(dialogue);
  const fitted = fitToBudget([...turns].reverse(), JSON.stringify, PAGE_BUDGET_BYTES - utf8Bytes(JSON.stringify(view)));
  return { dialogue: view, turns: fitted.items.reverse(), turnsCut: fitted.cut || stored.length < dialogue.turn + 1 };
}
