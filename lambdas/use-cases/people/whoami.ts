import type { ProfileRepository } from '../../domain/people/ports';
import type { Profile } from '../../domain/people/profile';
import type { Clock } from '../../domain/ports';
import type { Identity } from '../../domain/types';
import { isoNow } from '../room-deps';

/**
 * The caller's own profile: their user id (what others invite them by) and
 * display name. $connect creates the profile; a connection opened before
 * profiles existed gets it created here.
 */
export async function whoami(
  deps: { readonly profiles: Pick<ProfileRepository, 'ensureProfile'>; readonly clock: Clock },
  identity: Identity,
): Promise<{ profile: Profile }> {
  const profile = await deps.profiles.ensureProfile({
    userId: identity.userId,
    displayName: identity.displayName,
    createdAt: isoNow(deps.clock),
  });
  return { profile };
}
