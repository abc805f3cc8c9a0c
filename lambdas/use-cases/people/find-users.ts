import { ValidationError } from '../../domain/errors';
import { fitPage } from '../../domain/frame-budget';
import type { ProfileRepository } from '../../domain/people/ports';
import {
  findUsersQueryProblem,
  maskEmails,
  personCursor,
  searchableName,
  searchPrefix,
  type PeopleSearchMode,
  type PersonSummary,
} from '../../domain/people/profile';
import type { RoomRepository } from '../../domain/ports';
import type { RequestOf } from '../../domain/protocol';
import type { Identity, Page } from '../../domain/types';

export interface FindUsersDeps {
  readonly profiles: Pick<ProfileRepository, 'findByName'>;
  readonly rooms: Pick<RoomRepository, 'listRoomsOfUser' | 'listMembers'>;
  readonly peopleSearch: PeopleSearchMode;
}

type Candidate = PersonSummary & { readonly foldedName: string };

/**
 * People whose name starts with `query`, compared folded (profile.ts:
 * foldName: case, width and diacritics do not matter), in folded-name order,
 * at most `limit` and no more than fit in one WebSocket message.
 *
 * Privacy: results carry a user id and a display name, never an email
 * address: a query holding `@` is refused, addresses in names are neither
 * indexed nor shown (`[email]`). With `peopleSearch: 'sharedRooms'` only
 * people who share a room with the caller are found, from the members of
 * the caller's rooms rather than from the index of everyone.
 */
export async function findUsers(
  deps: FindUsersDeps,
  identity: Identity,
  request: RequestOf<'findUsers'>,
): Promise<{ users: PersonSummary[]; nextCursor?: string }> {
  const problem = findUsersQueryProblem(request.query);
  if (problem !== undefined) throw new ValidationError(problem);
  const prefix = searchPrefix(request.query);
  const page = { limit: request.limit, ...(request.cursor !== undefined ? { cursor: request.cursor } : {}) };
  const found = deps.peopleSearch === 'everyone' ? await deps.profiles.findByName(prefix, page) : await fromSharedRooms(deps, identity, prefix, page);
  const fitted = fitPage<Candidate>(found, personCursor, undefined, (person) => JSON.stringify(summary(person)));
  return {
    users: fitted.items.map(summary),
    ...(fitted.nextCursor !== undefined ? { nextCursor: fitted.nextCursor } : {}),
  };
}

const summary = (person: PersonSummary): PersonSummary => ({
  userId: person.userId,
  displayName: maskEmails(person.displayName),
});

/**
 * The members of the caller's rooms whose name matches, one entry per
 * person. Costs one Query for the caller's rooms and one per room: bounded by
 * how many rooms the caller is in, not by how many people use Parley.
 */
async function fromSharedRooms(
  deps: FindUsersDeps,
  identity: Identity,
  prefix: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Candidate>> {
  if (page.cursor !== undefined && !page.cursor.startsWith(prefix)) {
    throw new ValidationError('The cursor is not one Parley issued.');
  }
  const rooms = await deps.rooms.listRoomsOfUser(identity.userId);
  const memberLists = await Promise.all(rooms.map(({ room }) => deps.rooms.listMembers(room.roomId)));
  const people = new Map<string, Candidate>();
  for (const member of memberLists.flat()) {
    const foldedName = searchableName(member.displayName);
    if (foldedName.startsWith(prefix)) {
      people.set(member.userId, { userId: member.userId, displayName: member.displayName, foldedName });
    }
  }
  const after = [...people.values()]
    .map((person) => ({ person, cursor: personCursor(person) }))
    .filter(({ cursor }) => page.cursor === undefined || cursor > page.cursor)
    .sort((a, b) => (a.cursor < b.cursor ? -1 : 1));
  const items = after.slice(0, page.limit);
  return {
    items: items.map(({ person }) => person),
    ...(after.length > page.limit ? { nextCursor: items.at(-1)!.cursor } : {}),
  };
}
