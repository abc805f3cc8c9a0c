import type { ProfileRepository } from '../../domain/people/ports';
import type { PeopleSearchMode } from '../../domain/people/profile';
import type { RoomDeps } from '../room-deps';

/** What the people and invitation use cases share: the room deps, profiles and the deployment's settings. */
export interface PeopleDeps extends RoomDeps {
  readonly profiles: ProfileRepository;
  /** How long an invitation lasts, in milliseconds. */
  readonly invitationLifetimeMs: number;
  /** Who `findUsers` may return (profile.ts: PeopleSearchMode). */
  readonly peopleSearch: PeopleSearchMode;
}
