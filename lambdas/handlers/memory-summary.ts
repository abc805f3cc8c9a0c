import { createActionHandler } from '../shared/ws-action';
import { getRoomSummary } from '../use-cases/memory/get-room-summary';
import { roomRepository } from '../wiring/chat';
import { memoryStore } from '../wiring/memory';

const deps = { rooms: roomRepository(), memory: memoryStore() };

/** getSummary: the room's latest rolling summary, for its members. */
export const handler = createActionHandler({
  getSummary: (identity, request) => getRoomSummary(deps, identity, request),
});
