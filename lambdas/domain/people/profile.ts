/**
 * People: the profile Parley keeps for each user, and the rules that make a
 * person findable by name. A profile holds a user id, a display name and when
 * it was created; never an email address.
 */

import { foldName } from '../names';

export interface Profile {
  readonly userId: string;
  readonly displayName: string;
  readonly createdAt: string;
}

/** A person as `findUsers` lists them: an id to invite with and a name to show. */
export interface PersonSummary {
  readonly userId: string;
  readonly displayName: string;
}

/** Who `findUsers` may return: anyone with a profile, or only people who share a room with the caller. */
export const PEOPLE_SEARCH_MODES = ['everyone', 'sharedRooms'] as const;
export type PeopleSearchMode = (typeof PEOPLE_SEARCH_MODES)[number];

/** The longest prefix `findUsers` accepts, in characters (a display name has at most 64). */
export const FIND_USERS_QUERY_MAX = 64;

// Anything shaped like an email address: a run around an `@` without spaces or the brackets and
// separators that usually surround an address in a name (`Bob <bob@example.com>`).
const EMAIL_LIKE = /[^\s@()<>[\],;]*@[^\s@()<>[\],;]*/gu;


/**
 * How many code points of a folded name are indexed and compared. NFKC can
 * expand one character into many (U+FDFA into 18), and DynamoDB caps a sort
 * key at 1,024 bytes: 64 code points (at most 256 bytes) and a 128-character
 * id stay well within it.
 */
export const FOLDED_NAME_MAX = 64;

const capped = (folded: string): string => [...folded].slice(0, FOLDED_NAME_MAX).join('').trim();

/**
 * The folded name a profile is found by: the display name without anything
 * shaped like an email address, so an address someone put in their name can
 * never be searched for, folded and capped (FOLDED_NAME_MAX). Empty when
 * nothing is left (the profile is then not findable by name, only invitable
 * by id).
 */
export const searchableName = (displayName: string): string => capped(foldName(displayName.replace(EMAIL_LIKE, ' ')));

/** The folded prefix a `findUsers` query searches for, capped like the names it is compared with. */
export const searchPrefix = (query: string): string => capped(foldName(query));

/** A display name as search results show it: anything shaped like an email address replaced by `[email]`. */
export const maskEmails = (displayName: string): string =>
  displayName.replace(EMAIL_LIKE, (found) => (found.includes('@') && found.length > 1 ? '[email]' : found));

/** Why a `findUsers` query is refused, or undefined when it can be searched (after folding). */
export function findUsersQueryProblem(query: string): string | undefined {
  if (query.includes('@')) return 'Search people by name: email addresses are not searchable.';
  if (searchPrefix(query) === '') return 'query: has nothing to search for.';
  return undefined;
}

/** The first character of a folded name (a whole code point): the partition of the byName index it lives in. */

/** People found by name, in folded-name order: the last person's folded name and id. */
export const personCursor = (person: { readonly foldedName: string; readonly userId: string }): string =>
  `${person.foldedName}#${person.userId}`;
