import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import {
  addAgent,
  listAgents,
  removeAgent,
  updateAgent,
  type ManageAgentsDeps,
} from '../use-cases/agents/manage-agents';
import { agentRepository, allowedModelIds, defaultModelId, roomFeed } from '../wiring/agents';
import { actionRateLimiter, auditLog, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';

const deps: ManageAgentsDeps = {
  rooms: roomRepository(),
  agents: agentRepository(),
  feed: roomFeed({ connections: connectionRepository(), gateway: connectionGateway() }),
  clock: systemClock,
  audit: auditLog(),
  allowedModelIds: allowedModelIds(),
  defaultModelId: defaultModelId(),
};

/**
 * Agent configuration actions: owners and moderators add, update and remove;
 * members list. Failed posts of a change's announcement are reported.
 */
export const handler = createActionHandler(
  {
    addAgent: (identity, request) => withDeliveryReported(addAgent(deps, identity, request), { roomId: request.roomId }),
    updateAgent: (identity, request) => withDeliveryReported(updateAgent(deps, identity, request), { roomId: request.roomId }),
    listAgents: (identity, request) => listAgents(deps, identity, request),
    removeAgent: (identity, request) => withDeliveryReported(removeAgent(deps, identity, request), { roomId: request.roomId }),
  },
  { actionLimiter: actionRateLimiter() },
);
