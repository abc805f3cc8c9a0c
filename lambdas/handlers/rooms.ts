import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { createRoom } from '../use-cases/create-room';
import { inviteMember, type InviteDeps } from '../use-cases/invite-member';
import { joinRoom } from '../use-cases/join-room';
import { leaveRoom } from '../use-cases/leave-room';
import { listMembers } from '../use-cases/list-members';
import { listRooms } from '../use-cases/list-rooms';
import { removeMember } from '../use-cases/remove-member';
import { setRole } from '../use-cases/set-role';
import { updateProfile, type UpdateProfileDeps } from '../use-cases/update-profile';
import { actionRateLimiter, roomDeps } from '../wiring/chat';
import { invitationLifetimeMs, profileRepository } from '../wiring/people';
import { presenceRepository } from '../wiring/presence';

const deps: InviteDeps & UpdateProfileDeps = {
  ...roomDeps(),
  profiles: profileRepository(),
  invitationLifetimeMs: invitationLifetimeMs(),
};
const presence = presenceRepository();

/**
 * Room and membership actions, and the caller's display name (kept on their
 * memberships): one function, one route per action. Failed posts of the room
 * events are reported.
 */
export const handler = createActionHandler(
  {
    createRoom: (identity, request) => withDeliveryReported(createRoom(deps, identity, request)),
    listRooms: (identity, request) => listRooms(deps, identity, request),
    joinRoom: (identity, request) => withDeliveryReported(joinRoom(deps, identity, request), { roomId: request.roomId }),
    leaveRoom: (identity, request) => withDeliveryReported(leaveRoom(deps, identity, request), { roomId: request.roomId }),
    inviteMember: (identity, request) => withDeliveryReported(inviteMember(deps, identity, request), { roomId: request.roomId }),
    setRole: (identity, request) => withDeliveryReported(setRole(deps, identity, request), { roomId: request.roomId }),
    removeMember: (identity, request) => withDeliveryReported(removeMember(deps, identity, request), { roomId: request.roomId }),
    listMembers: (identity, request) => listMembers({ ...deps, presence }, identity, request),
    updateProfile: (identity, request) => withDeliveryReported(updateProfile(deps, identity, request)),
  },
  { actionLimiter: actionRateLimiter() },
);
