import { DynamoProfileRepository } from '../adapters/dynamodb/profile-repository';
import { DAY_MS, DEFAULT_INVITATION_DAYS } from '../domain/people/invitation';
import { PEOPLE_SEARCH_MODES, type PeopleSearchMode } from '../domain/people/profile';
import { dynamoDocumentClient } from './clients';
import { choiceEnv, ENV, intEnv, PEOPLE_ENV, requireEnv } from './env';

/**
 * People's wiring: profiles (in the rooms table) and the deployment's
 * settings for invitations and search, from the variables lib/people-functions.ts sets.
 */
export const profileRepository = () => new DynamoProfileRepository(dynamoDocumentClient(), requireEnv(ENV.roomsTable));

/** How long an invitation lasts, in milliseconds. */
export const invitationLifetimeMs = (): number => intEnv(PEOPLE_ENV.invitationDays, DEFAULT_INVITATION_DAYS) * DAY_MS;

export const peopleSearchMode = (): PeopleSearchMode => choiceEnv(PEOPLE_ENV.peopleSearch, PEOPLE_SEARCH_MODES, 'everyone');
