import { createActionHandler } from '../shared/ws-action';
import {
  addAgent,
  listAgents,
  removeAgent,
  updateAgent,
  type ManageAgentsDeps,
} from '../use-cases/agents/manage-agents';
import { agentRepository, allowedModelIds, roomFeed } from '../wiring/agents';
import { auditLog, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';

const deps: ManageAgentsDeps = {
  rooms: roomRepository(),
  agents: agentRepository(),
  feed: roomFeed({ connections: connectionRepository(), gateway: connectionGateway() }),
  clock: systemClock,
  audit: auditLog(),
  allowedModelIds: allowedModelIds(),
};

/** Agent configuration actions: owners and moderators add, update and remove; members list. */
export const handler = createActionHandler({
  addAgent: (identity, request) => addAgent(deps, identity, request),
  updateAgent: (identity, request) => updateAgent(deps, identity, request),
  listAgents: (identity, request) => listAgents(deps, identity, request),
  removeAgent: (identity, request) => removeAgent(deps, identity, request),
});
