import type { DeliveryReport } from '../../../domain/delivery';
import { ConflictError, NotFoundError } from '../../../domain/errors';
import type { DialogueTurn, DialogueView } from '../../../domain/games/dialogue';
import { dialogueView, newDialogue, openingTurn } from '../../../domain/games/dialogue-rules';
import { exampleScenario } from '../../../domain/games/example-scenarios';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { deliverToRoom } from '../../delivery/deliver-to-room';
import { assertCanPlay, isoAt, requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

export const ACTIVE_DIALOGUE_MESSAGE = 'A dialogue is already going on in this room; end it before starting another.';

/**
 * Starts a dialogue from an example or one of the room's scenarios; for
 * members and up, in a dialogue room, one dialogue at a time (the store
 * creates the room's active marker in the same transaction, so two starts
 * at once cannot both win). The opening options come from the scenario
 * (dialogue-rules.ts: openingOptions), so no model call delays the start.
 * The room hears `dialogueStarted` with the opening as turn 0.
 */
export async function startDialogue(
  deps: DialogueDeps,
  identity: Identity,
  request: GameRequestOf<'startDialogue'>,
): Promise<{ dialogue: DialogueView; opening: DialogueTurn; delivery: DeliveryReport }> {
  const { membership } = await requireDialogueRoom(deps, request.roomId, identity.userId);
  assertCanPlay(membership);
  const [scenario, active] = await Promise.all([
    exampleScenario(request.scenarioId) ?? deps.scenarios.getScenario(request.roomId, request.scenarioId),
    deps.dialogues.activeDialogueId(request.roomId),
  ]);
  if (!scenario) throw new NotFoundError(`No scenario "${request.scenarioId}" in this room or among the examples.`);
  if (active !== undefined) throw new ConflictError(ACTIVE_DIALOGUE_MESSAGE);

  const startedAt = isoAt(deps.clock);
  const dialogue = newDialogue({
    roomId: request.roomId,
    dialogueId: deps.nextId(deps.clock.now()),
    scenario,
    startedBy: identity.userId,
    startedAt,
  });
  const opening = openingTurn(dialogue);
  await deps.dialogues.startDialogue(dialogue, opening);
  await deps.audit.record({
    roomId: dialogue.roomId,
    idempotencyKey: `dialogue.initiated:${dialogue.dialogueId}`,
    occurredAt: startedAt,
    actor: { type: 'user', id: identity.userId },
    action: 'dialogue.initiated',
    target: { type: 'dialogue', id: dialogue.dialogueId },
    details: { scenarioId: scenario.id },
  });
  const view = dialogueView(dialogue);
  const delivery = await deliverToRoom(deps, dialogue.roomId, { type: 'dialogueStarted', roomId: dialogue.roomId, dialogue: view, opening });
  return { dialogue: view, opening, delivery };
}
