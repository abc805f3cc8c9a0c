import type { PageQuery } from '../../../lambdas/domain/ports';
import type { FoundProfile, ProfileRepository } from '../../../lambdas/domain/people/ports';
import { personCursor, searchableName, type Profile } from '../../../lambdas/domain/people/profile';
import type { Page } from '../../../lambdas/domain/types';

/** Profiles in memory, found by name as the byName index finds them (folded, in folded-name order). */
export class FakeProfiles implements ProfileRepository {
  readonly profiles = new Map<string, Profile>();
  /** How many profiles ensureProfile created (a second connection creates none). */
  created = 0;

  async getProfile(userId: string) {
    return this.profiles.get(userId);
  }
  async ensureProfile(profile: Profile) {
    const existing = this.profiles.get(profile.userId);
    if (existing) return existing;
    this.profiles.set(profile.userId, profile);
    this.created += 1;
    return profile;
  }
  async renameProfile(userId: string, displayName: string, nowIso: string) {
    const profile = { userId, displayName, createdAt: this.profiles.get(userId)?.createdAt ?? nowIso };
    this.profiles.set(userId, profile);
    return profile;
  }
  async findByName(foldedPrefix: string, page: PageQuery): Promise<Page<FoundProfile>> {
    const matching = [...this.profiles.values()]
      .map((profile) => ({ ...profile, foldedName: searchableName(profile.displayName) }))
      .filter((profile) => profile.foldedName !== '' && profile.foldedName.startsWith(foldedPrefix))
      .sort((a, b) => (personCursor(a) < personCursor(b) ? -1 : 1))
      .filter((profile) => page.cursor === undefined || personCursor(profile) > page.cursor);
    const items = matching.slice(0, page.limit);
    return matching.length > page.limit ? { items, nextCursor: personCursor(items.at(-1)!) } : { items };
  }
}
