import { withDeliveryReported } from '../shared/delivery-report';
import { createActionHandler } from '../shared/ws-action';
import { acceptInvitation } from '../use-cases/people/accept-invitation';
import { declineInvitation } from '../use-cases/people/decline-invitation';
import { findUsers } from '../use-cases/people/find-users';
import { listInvitations } from '../use-cases/people/list-invitations';
import { listRoomInvitations } from '../use-cases/people/list-room-invitations';
import type { PeopleDeps } from '../use-cases/people/people-deps';
import { revokeInvitation } from '../use-cases/people/revoke-invitation';
import { whoami } from '../use-cases/people/whoami';
import { actionRateLimiter, roomDeps } from '../wiring/chat';
import { invitationLifetimeMs, peopleSearchMode, profileRepository } from '../wiring/people';

const deps: PeopleDeps = {
  ...roomDeps(),
  profiles: profileRepository(),
  invitationLifetimeMs: invitationLifetimeMs(),
  peopleSearch: peopleSearchMode(),
};

/**
 * People and the invitations addressed to them: who the caller is, finding
 * people by name, and listing, accepting, declining and withdrawing
 * invitations. Failed posts of the frames they send are reported.
 */
export const handler = createActionHandler(
  {
    whoami: (identity) => whoami(deps, identity),
    findUsers: (identity, request) => findUsers(deps, identity, request),
    listInvitations: (identity, request) => listInvitations(deps, identity, request),
    listRoomInvitations: (identity, request) => listRoomInvitations(deps, identity, request),
    acceptInvitation: (identity, request) =>
      withDeliveryReported(acceptInvitation(deps, identity, request), { roomId: request.roomId }),
    declineInvitation: (identity, request) =>
      withDeliveryReported(declineInvitation(deps, identity, request), { roomId: request.roomId }),
    revokeInvitation: (identity, request) =>
      withDeliveryReported(revokeInvitation(deps, identity, request), { roomId: request.roomId }),
  },
  { actionLimiter: actionRateLimiter() },
);
