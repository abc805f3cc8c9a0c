import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import {
  addAgent,
  listAgents,
  removeAgent,
  updateAgent,
  type ManageAgentsDeps,
} from '../use-cases/agents/manage-agents';
import { regenerateAgentReply, type RegenerateAgentReplyDeps } from '../use-cases/agents/regenerate-agent-reply';
import { stopAgentReply, type StopAgentReplyDeps } from '../use-cases/agents/stop-agent-reply';
import {
  agentJobQueue,
  agentMessageStore,
  agentRepository,
  allowedModelIds,
  defaultModelId,
  liveReplyStore,
  roomFeed,
} from '../wiring/agents';
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

const stopDeps: StopAgentReplyDeps = { rooms: deps.rooms, liveReplies: liveReplyStore(), audit: deps.audit, clock: systemClock };

const regenerateDeps: RegenerateAgentReplyDeps = {
  ...stopDeps,
  agents: deps.agents,
  messages: agentMessageStore(),
  jobs: agentJobQueue(),
};

/**
 * Agent configuration actions: owners and moderators add, update and remove;
 * members list; the person who asked, owners and moderators stop a reply
 * while it streams and ask for another answer once it is stored. Failed posts of a change's announcement are reported.
 */
export const handler = createActionHandler(
  {
    addAgent: (identity, request) => withDeliveryReported(addAgent(deps, identity, request), { roomId: request.roomId }),
    updateAgent: (identity, request) => withDeliveryReported(updateAgent(deps, identity, request), { roomId: request.roomId }),
    listAgents: (identity, request) => listAgents(deps, identity, request),
    removeAgent: (identity, request) => withDeliveryReported(removeAgent(deps, identity, request), { roomId: request.roomId }),
    stopAgentReply: (identity, request) => stopAgentReply(stopDeps, identity, request),
    regenerateAgentReply: (identity, request) => regenerateAgentReply(regenerateDeps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
