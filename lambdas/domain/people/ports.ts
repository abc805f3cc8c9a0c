import type { PageQuery } from '../ports';
import type { Page } from '../types';
import type { Profile } from './profile';

/** A profile found by name, with the folded name it was found by (its cursor needs it). */
export interface FoundProfile extends Profile {
  readonly foldedName: string;
}

/** People's profiles. */
export interface ProfileRepository {
  getProfile(userId: string): Promise<Profile | undefined>;
  /**
   * The user's profile, created from `profile` when there is none yet. Safe to
   * call on every connection: an existing profile is returned unchanged.
   */
  ensureProfile(profile: Profile): Promise<Profile>;
  /** Sets the display name (and what it is found by), creating the profile when missing. */
  renameProfile(userId: string, displayName: string, nowIso: string): Promise<Profile>;
  /**
   * Profiles whose searchable name (profile.ts: searchableName) starts with
   * `foldedPrefix`, in folded-name order, after `cursor` (profile.ts: personCursor).
   */
  findByName(foldedPrefix: string, page: PageQuery): Promise<Page<FoundProfile>>;
}
