import { ConflictError, PayloadTooLargeError, PermissionError, ValidationError } from '../../../domain/errors';
import { SCENARIO_MAX_BYTES, type ScenarioSummary } from '../../../domain/games/dialogue';
import { scenarioProblem, scenarioSummaryOf } from '../../../domain/games/dialogue-rules';
import { isExampleScenarioId } from '../../../domain/games/example-scenarios';
import type { GameRequestOf } from '../../../domain/games/protocol';
import { utf8Bytes } from '../../../domain/frame-budget';
import { canManageMembers } from '../../../domain/permissions';
import type { Identity } from '../../../domain/types';
import { isoAt, requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

/** A room's own scenarios, at most: their list stays one Query and one frame. */
export const MAX_ROOM_SCENARIOS = 20;

/**
 * Adds one of the room's scenarios, or replaces the room's scenario of the
 * same id; for the owner and moderators. An example's id is refused (the
 * examples are shared by every room and cannot be shadowed), and so is a
 * scenario the schema passes but that does not hold together. No audit
 * action exists for scenarios: the edge logs the upload.
 */
export async function uploadScenario(
  deps: Pick<DialogueDeps, 'rooms' | 'scenarios' | 'clock'>,
  identity: Identity,
  request: GameRequestOf<'uploadScenario'>,
): Promise<{ scenario: ScenarioSummary; replaced: boolean }> {
  const { membership } = await requireDialogueRoom(deps, request.roomId, identity.userId);
  if (!canManageMembers(membership.role)) {
    throw new PermissionError('Only the room owner and moderators can upload scenarios.');
  }
  const { scenario } = request;
  const bytes = utf8Bytes(JSON.stringify(scenario));
  if (bytes > SCENARIO_MAX_BYTES) {
    throw new PayloadTooLargeError(`A scenario may take ${SCENARIO_MAX_BYTES} bytes of JSON; this one takes ${bytes}.`);
  }
  if (isExampleScenarioId(scenario.id)) {
    throw new ValidationError(`"${scenario.id}" is the id of one of Parley's example scenarios; choose another id.`);
  }
  const problem = scenarioProblem(scenario);
  if (problem !== undefined) throw new ValidationError(problem);
  const stored = await deps.scenarios.listScenarios(request.roomId);
  if (stored.length >= MAX_ROOM_SCENARIOS && !stored.some((s) => s.id === scenario.id)) {
    throw new ConflictError(`A room holds at most ${MAX_ROOM_SCENARIOS} scenarios; replace one (upload under its id) instead.`);
  }
  const replaced = await deps.scenarios.putScenario(request.roomId, scenario, identity.userId, isoAt(deps.clock));
  return { scenario: scenarioSummaryOf(scenario, 'room'), replaced };
}
