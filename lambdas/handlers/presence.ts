import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { getReadState } from '../use-cases/presence/get-read-state';
import { markRead } from '../use-cases/presence/mark-read';
import { sendTyping } from '../use-cases/presence/send-typing';
import { actionRateLimiter, connectionGateway, connectionRepository, roomRepository, systemClock } from '../wiring/chat';
import { readStateRepository, typingLimiter } from '../wiring/presence';

const deps = {
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  clock: systemClock,
  readStates: readStateRepository(),
  typingLimiter: typingLimiter(),
};

/**
 * Typing notices and read state: one function, one route per action.
 * Failed posts of the frames they send are reported.
 */
export const handler = createActionHandler(
  {
    typing: (identity, request) => withDeliveryReported(sendTyping(deps, identity, request), { roomId: request.roomId }),
    markRead: (identity, request, event) =>
      withDeliveryReported(markRead(deps, identity, request, event.requestContext.connectionId), { roomId: request.roomId }),
    getReadState: (identity, request) => getReadState(deps, identity, request),
  },
  { actionLimiter: actionRateLimiter() },
);
