import { z } from 'zod';
import { DEFAULT_INVITATION_DAYS } from '../lambdas/domain/people/invitation';
import { PEOPLE_SEARCH_MODES } from '../lambdas/domain/people/profile';

/**
 * The people and invitation keys of Parley's configuration (lib/config.ts
 * spreads them into its schema): `cdk synth -c peopleSearch=sharedRooms -c invitationDays=3`.
 */
export const peopleConfigShape = {
  /**
   * Who `findUsers` finds: `everyone` with a profile (the default: people
   * invite colleagues they have not met in a room yet, and a deployment's
   * users are its organisation's), or only people who share a room with the
   * one searching (for deployments open to anyone, where a directory of all
   * names would be too much to show a stranger).
   */
  peopleSearch: z.enum(PEOPLE_SEARCH_MODES).default('everyone'),
  /** Days an invitation can be accepted before it expires. */
  invitationDays: z.coerce.number().int().min(1).max(365).default(DEFAULT_INVITATION_DAYS),
} as const;
