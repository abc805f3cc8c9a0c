import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { banMember, listBans, unbanMember } from '../use-cases/ban-member';
import { deleteRoom, type DeleteRoomDeps } from '../use-cases/delete-room';
import { getRoom } from '../use-cases/get-room';
import { searchRooms } from '../use-cases/search-rooms';
import { transferOwnership } from '../use-cases/transfer-ownership';
import { updateRoom } from '../use-cases/update-room';
import { actionRateLimiter, messageRepository, roomDeps } from '../wiring/chat';
import { profileRepository } from '../wiring/people';
import { roomPurgeQueue } from '../wiring/room-purge';

const deps: DeleteRoomDeps = {
  ...roomDeps(),
  purges: roomPurgeQueue(),
};
const banDeps = { ...deps, profiles: profileRepository() };
const messages = messageRepository();

/**
 * Room administration (settings, deletion, ownership, bans), a room's page
 * for a link (getRoom) and the searchable public directory: one function,
 * one route per action. Failed posts of the room-list frames are reported.
 */
export const handler = createActionHandler(
  {
    updateRoom: (identity, request) => withDeliveryReported(updateRoom(deps, identity, request), { roomId: request.roomId }),
    deleteRoom: (identity, request) => withDeliveryReported(deleteRoom(deps, identity, request), { roomId: request.roomId }),
    transferOwnership: (identity, request) =>
      withDeliveryReported(transferOwnership(deps, identity, request), { roomId: request.roomId }),
    banMember: (identity, request) => withDeliveryReported(banMember(banDeps, identity, request), { roomId: request.roomId }),
    unbanMember: (identity, request) => unbanMember(deps, identity, request),
    listBans: (identity, request) => listBans(deps, identity, request),
    getRoom: (identity, request) => getRoom({ rooms: deps.rooms, messages }, identity, request),
    searchRooms: (_identity, request) => searchRooms(deps, request),
  },
  { actionLimiter: actionRateLimiter() },
);
