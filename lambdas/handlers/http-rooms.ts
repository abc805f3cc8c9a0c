import { createHttpHandler } from '../shared/http-action';
import { listCallerRooms } from '../use-cases/integrations/list-caller-rooms';
import { roomRepository } from '../wiring/chat';
import { apiKeyEdge } from '../wiring/integrations';

const deps = { rooms: roomRepository() };

/** HTTP API: GET /v1/rooms, a user's rooms or an API key's one room. */
export const handler = createHttpHandler(
  {
    listRooms: async (caller, { query }) => ({ status: 200, body: await listCallerRooms(deps, caller, query) }),
  },
  { apiKeys: apiKeyEdge() },
);
