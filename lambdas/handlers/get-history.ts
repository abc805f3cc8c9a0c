import { createActionHandler } from '../shared/ws-action';
import { getHistory } from '../use-cases/get-history';
import { messageRepository, roomRepository } from '../wiring/chat';

const deps = { rooms: roomRepository(), messages: messageRepository() };

export const handler = createActionHandler({
  getHistory: async (identity, request) => ({
    roomId: request.roomId,
    ...(await getHistory(deps, identity, request)),
  }),
});
