import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { createRoom } from '../use-cases/create-room';
import { inviteMember } from '../use-cases/invite-member';
import { joinRoom } from '../use-cases/join-room';
import { leaveRoom } from '../use-cases/leave-room';
import { listMembers } from '../use-cases/list-members';
import { listRooms } from '../use-cases/list-rooms';
import { removeMember } from '../use-cases/remove-member';
import type { RoomDeps } from '../use-cases/room-deps';
import { setRole } from '../use-cases/set-role';
import { updateProfile } from '../use-cases/update-profile';
import { auditLog, connectionGateway, connectionRepository, nextId, roomRepository, systemClock } from '../wiring/chat';
import { presenceRepository } from '../wiring/presence';

const deps: RoomDeps = {
  rooms: roomRepository(),
  connections: connectionRepository(),
  gateway: connectionGateway(),
  clock: systemClock,
  nextId,
  audit: auditLog(),
};
const presence = presenceRepository();

/**
 * Room and membership actions, and the caller's display name (kept on their
 * memberships): one function, one route per action. Failed posts of the room
 * events are reported.
 */
export const handler = createActionHandler({
  createRoom: (identity, request) => createRoom(deps, identity, request),
  listRooms: (identity, request) => listRooms(deps, identity, request),
  joinRoom: (identity, request) => withDeliveryReported(joinRoom(deps, identity, request), { roomId: request.roomId }),
  leaveRoom: (identity, request) => withDeliveryReported(leaveRoom(deps, identity, request), { roomId: request.roomId }),
  inviteMember: (identity, request) => inviteMember(deps, identity, request),
  setRole: (identity, request) => withDeliveryReported(setRole(deps, identity, request), { roomId: request.roomId }),
  removeMember: (identity, request) => withDeliveryReported(removeMember(deps, identity, request), { roomId: request.roomId }),
  listMembers: (identity, request) => listMembers({ ...deps, presence }, identity, request),
  updateProfile: (identity, request) => withDeliveryReported(updateProfile(deps, identity, request)),
});
