import { withDeliveryReported } from '../shared/delivery-report';
import { logger } from '../shared/observability';
import { createActionHandler } from '../shared/ws-action';
import { endDialogue } from '../use-cases/games/dialogue/end-dialogue';
import { getDialogue } from '../use-cases/games/dialogue/get-dialogue';
import { listScenarios } from '../use-cases/games/dialogue/list-scenarios';
import { startDialogue } from '../use-cases/games/dialogue/start-dialogue';
import { takeDialogueTurn } from '../use-cases/games/dialogue/take-dialogue-turn';
import { uploadScenario } from '../use-cases/games/dialogue/upload-scenario';
import { actionRateLimiter } from '../wiring/chat';
import { dialogueDeps } from '../wiring/dialogue';

const deps = dialogueDeps();

/**
 * Guided dialogues' actions: the scenarios, starting, turns, ending and
 * reading a dialogue; one function, one route per action. The characters'
 * answers and the outcome come later, from the dialogue worker.
 */
export const handler = createActionHandler(
  {
    listScenarios: (identity, request) => listScenarios(deps, identity, request),
    uploadScenario: async (identity, request) => {
      const result = await uploadScenario(deps, identity, request);
      // No audit action exists for scenarios: the upload is logged (ids only, never the scenario's text).
      logger.info('scenario uploaded', { roomId: request.roomId, scenarioId: result.scenario.id, replaced: result.replaced, userId: identity.userId });
      return result;
    },
    startDialogue: (identity, request) => withDeliveryReported(startDialogue(deps, identity, request), { roomId: request.roomId }),
    takeDialogueTurn: (identity, request) => takeDialogueTurn(deps, identity, request),
    endDialogue: (identity, request) => endDialogue(deps, identity, request),
    getDialogue: (identity, request) => getDialogue(deps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
