import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { castVote } from '../use-cases/games/imposter/cast-vote';
import { getLeaderboard } from '../use-cases/games/imposter/get-leaderboard';
import { getRound } from '../use-cases/games/imposter/get-round';
import { sendRoundLine } from '../use-cases/games/imposter/send-round-line';
import { startRound } from '../use-cases/games/imposter/start-round';
import { actionRateLimiter } from '../wiring/chat';
import { imposterDeps, roundLineDeps } from '../wiring/imposter';

const deps = imposterDeps();
const lineDeps = roundLineDeps(deps);

/**
 * The imposter game's actions: one function, one route per action. Failed
 * posts of the round's frames are reported. Lines spend the message budget
 * (in sendRoundLine), the other changes the action budget (at the edge).
 */
export const handler = createActionHandler(
  {
    startRound: (identity, request) => withDeliveryReported(startRound(deps, identity, request), { roomId: request.roomId }),
    sendRoundLine: (identity, request) => withDeliveryReported(sendRoundLine(lineDeps, identity, request), { roomId: request.roomId }),
    castVote: (identity, request) => withDeliveryReported(castVote(deps, identity, request), { roomId: request.roomId }),
    getRound: (identity, request) => getRound(deps, identity, request),
    getLeaderboard: (identity, request) => getLeaderboard(deps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
