import type { ScenarioSummary } from '../../../domain/games/dialogue';
import { scenarioSummaryOf } from '../../../domain/games/dialogue-rules';
import { EXAMPLE_SCENARIOS } from '../../../domain/games/example-scenarios';
import type { GameRequestOf } from '../../../domain/games/protocol';
import type { Identity } from '../../../domain/types';
import { requireDialogueRoom, type DialogueDeps } from './dialogue-deps';

/** The scenarios a dialogue can start from: Parley's examples, then the room's own; for the room's members. */
export async function listScenarios(
  deps: Pick<DialogueDeps, 'rooms' | 'scenarios'>,
  identity: Identity,
  request: GameRequestOf<'listScenarios'>,
): Promise<{ scenarios: ScenarioSummary[] }> {
  await requireDialogueRoom(deps, request.roomId, identity.userId);
  const own = await deps.scenarios.listScenarios(request.roomId);
  return {
    scenarios: [
      ...EXAMPLE_SCENARIOS.map((s) => scenarioSummaryOf(s, 'example')),
      ...own.map((s) => scenarioSummaryOf(s, 'room')),
    ],
  };
}
