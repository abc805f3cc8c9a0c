/**
 * Key design of moderation's own items.
 *
 * Moderation table (pk, sk), encrypted with the content key, TTL `expiresAt`;
 * only the moderation functions are granted it:
 *   ROOM#<roomId>  ORIGINAL#<messageId>   the text of a message before moderation changed it
 *   ROOM#<roomId>  HELD#<messageId>       a message held for review: the room's review queue, read
 *                                         oldest first by one Query (message ids sort by time);
 *                                         written and removed by the moderation consumer as the
 *                                         message's stream tells it is held or no longer, with the
 *                                         message's own `expiresAt` and a `version` new at each
 *                                         write (a reader's clean-up deletes only the one it read)
 *
 * Rooms table (see schema.ts), beside the room's META item:
 *   ROOM#<roomId>  MODERATION             the room's moderation settings, and `agentCount`: how
 *                                         many agents the room has, kept by the agents' repository
 *                                         in the same transaction as each agent it adds or removes,
 *                                         so sendMessage learns "the room has agents" from the one
 *                                         item it reads anyway
 *
 * Messages table (see schema.ts): the message item carries `moderation`,
 * `decision`, `moderationReasons`, `moderatedAt`, `hiddenBy`/`hiddenAt` and
 * `releasedBy`.
 */
export const MODERATION_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const MODERATION_ENTITY = {
  original: 'moderationOriginal',
  held: 'moderationHeld',
  settings: 'moderationSettings',
} as const;

export const roomPk = (roomId: string): string => `ROOM#${roomId}`;

/** Every held marker's sort key begins with it. */
export const HELD_SK_PREFIX = 'HELD#';

/** The key of a message's marker in its room's review queue. */
export const heldKey = (roomId: string, messageId: string) => ({ pk: roomPk(roomId), sk: `${HELD_SK_PREFIX}${messageId}` });

/** The key of a room's moderation settings item (which also carries its agent count). */
export const moderationSettingsKey = (roomId: string) => ({ pk: roomPk(roomId), sk: 'MODERATION' });

/** The settings item's count of the room's agents (absent: none). */
export const AGENT_COUNT_ATTRIBUTE = 'agentCount';
