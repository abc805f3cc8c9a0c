import { READABLE_STATES, type ModerationState } from '../lambdas/domain/message';
import { ENTITY } from '../lambdas/adapters/dynamodb/schema';
import { ROOM_HAS_AGENTS_ATTRIBUTE } from '../lambdas/adapters/dynamodb/message-items';

/** Filter-pattern pieces for the messages table's stream (event source mapping filter criteria). */
export const MESSAGE_ITEM = { entity: { S: [ENTITY.message] } } as const;

export const moderationStates = (...values: ModerationState[]) => ({ S: values });

/** The states whose text agents and memory may read (READABLE_STATES), as a filter pattern. */
export const READABLE_MODERATION = moderationStates(...READABLE_STATES);

/**
 * The changes that carry text moderation let through, and only those: a
 * message inserted already moderated as readable (a person's, moderated by
 * sendMessage; a redacted one carries only its redacted text), and a pending
 * message (an agent's reply) that moderation then allows or redacts. Lambda
 * evaluates these patterns before invoking, in AWS and in the local runtime
 * alike, so a consumer built on them never sees text moderation withheld.
 * (A hidden message is left to the consumers' own check, `isReadable`.)
 */
export const MODERATED_TEXT_FILTERS: ReadonlyArray<Record<string, unknown>> = [
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { ...MESSAGE_ITEM, moderation: READABLE_MODERATION } },
  },
  {
    eventName: ['MODIFY'],
    dynamodb: {
      OldImage: { ...MESSAGE_ITEM, moderation: moderationStates('pending') },
      NewImage: { moderation: READABLE_MODERATION },
    },
  },
];

/** A message stamped as stored in a room with agents (`Message.agents`, a sparse attribute). */
export const IN_ROOM_WITH_AGENTS = { [ROOM_HAS_AGENTS_ATTRIBUTE]: { BOOL: [true] } } as const;

/**
 * MODERATED_TEXT_FILTERS narrowed to messages of rooms with agents: the
 * new image must carry the flag, so a room without agents never invokes
 * the consumer.
 */
export const MODERATED_TEXT_IN_ROOMS_WITH_AGENTS_FILTERS: ReadonlyArray<Record<string, unknown>> =
  MODERATED_TEXT_FILTERS.map((pattern) => {
    const dynamodb = pattern['dynamodb'] as { NewImage: Record<string, unknown> };
    return { ...pattern, dynamodb: { ...dynamodb, NewImage: { ...dynamodb.NewImage, ...IN_ROOM_WITH_AGENTS } } };
  });
