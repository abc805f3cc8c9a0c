import { mergeReports, type DeliveryReport } from '../domain/delivery';
import { displayNameProblem } from '../domain/display-name';
import { ValidationError } from '../domain/errors';
import type { ProfileRepository } from '../domain/people/ports';
import type { RequestOf } from '../domain/protocol';
import type { Identity } from '../domain/types';
import { deliverToRoom } from './delivery/deliver-to-room';
import { isoNow, type RoomDeps } from './room-deps';

export interface UpdateProfileDeps extends RoomDeps {
  readonly profiles: Pick<ProfileRepository, 'renameProfile'>;
}

export interface UpdateProfileResult {
  readonly displayName: string;
  /** The rooms whose membership now carries the new name. */
  readonly roomIds: readonly string[];
  readonly delivery?: DeliveryReport;
}

/**
 * Changes the caller's display name where Parley keeps it: on each of their
 * memberships (the name members see and new messages carry) and on their
 * live connections, and on their profile (what `whoami` answers and
 * `findUsers` searches). Each room's members are told with a `memberRenamed`
 * room event. Messages already sent keep the name they were sent with.
 *
 * The name in the caller's token is not changed here: the identity provider
 * owns it (the web client updates Cognito's `name` attribute too), and it is
 * what new memberships start with.
 *
 * @example updateProfile(deps, { userId: 'u-1', displayName: 'al' }, { displayName: 'Alice' })
 */
export async function updateProfile(
  deps: UpdateProfileDeps,
  identity: Identity,
  request: RequestOf<'updateProfile'>,
): Promise<UpdateProfileResult> {
  const displayName = request.displayName.trim();
  const problem = displayNameProblem(displayName);
  if (problem !== undefined) throw new ValidationError(problem);

  const memberships = (await deps.rooms.listRoomsOfUser(identity.userId)).map((m) => m.membership);
  const stale = memberships.filter((m) => m.displayName !== displayName);
  // A membership left meanwhile comes back undefined and is neither counted nor announced.
  const renamed = (await Promise.all(stale.map((m) => deps.rooms.renameMember(m.roomId, identity.userId, displayName)))).filter(
    (m) => m !== undefined,
  );
  await deps.connections.renameUser(identity.userId, displayName);
  await deps.profiles.renameProfile(identity.userId, displayName, isoNow(deps.clock));

  const reports = await Promise.all(
    renamed.map((member) =>
      deliverToRoom(deps, member.roomId, { type: 'roomEvent', roomId: member.roomId, event: { kind: 'memberRenamed', member } }),
    ),
  );
  const unchanged = memberships.filter((m) => m.displayName === displayName);
  return {
    displayName,
    roomIds: [...unchanged, ...renamed].map((m) => m.roomId),
    ...(reports.length > 0 ? { delivery: mergeReports(reports) } : {}),
  };
}
