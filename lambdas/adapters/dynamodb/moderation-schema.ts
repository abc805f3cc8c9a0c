/**
 * Key design of moderation's own items.
 *
 * Moderation table (pk, sk), encrypted with the content key, TTL `expiresAt`;
 * only the moderation functions are granted it:
 *   ROOM#<roomId>  ORIGINAL#<messageId>   the text of a message before moderation changed it
 *
 * Rooms table (see schema.ts), beside the room's META item:
 *   ROOM#<roomId>  MODERATION             the room's moderation settings
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
  settings: 'moderationSettings',
} as const;

export const roomPk = (roomId: string): string => `ROOM#${roomId}`;
