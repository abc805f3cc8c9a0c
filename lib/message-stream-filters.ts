import { ENTITY } from '../lambdas/adapters/dynamodb/schema';

/** Filter-pattern pieces for the messages table's stream (event source mapping filter criteria). */
export const MESSAGE_ITEM = { entity: { S: [ENTITY.message] } } as const;

export const moderationStates = (...values: string[]) => ({ S: values });

/**
 * The changes that carry text moderation let through, and only those: a
 * message inserted already moderated as visible (a person's, moderated by
 * sendMessage; a redacted one carries only its redacted text), and a pending
 * message (an agent's reply) that moderation then allows or redacts. Lambda
 * evaluates these patterns before invoking, in AWS and in the local runtime
 * alike, so a consumer built on them never sees text moderation withheld.
 */
export const MODERATED_TEXT_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { ...MESSAGE_ITEM, moderation: moderationStates('allowed', 'redacted') } },
  },
  {
    eventName: ['MODIFY'],
    dynamodb: {
      OldImage: { ...MESSAGE_ITEM, moderation: moderationStates('pending') },
      NewImage: { moderation: moderationStates('allowed', 'redacted') },
    },
  },
];
