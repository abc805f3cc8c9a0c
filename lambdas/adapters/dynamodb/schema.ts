/**
 * Key design of Parley's tables (docs/architecture.md explains the choices).
 * The CDK stateful stack builds its tables from these names, so the
 * infrastructure and the adapters cannot drift apart.
 *
 * Rooms table (pk, sk), single-table for rooms and who is in them:
 *   ROOM#<roomId>  META              the room              gsi2 PUBLIC / <createdAt>#<roomId> when public,
 *                                                           gsi3 ROOM#<first char> / <folded name>#<roomId> when public;
 *                                                           a deleted room keeps this item as a tombstone (deletedAt), unindexed
 *   ROOM#<roomId>  MEMBER#<userId>   a membership          gsi1 USER#<userId> / ROOM#<roomId>
 *   ROOM#<roomId>  INVITE#<userId>   a pending invitation  gsi1 USER#<userId> / INVITE#<roomId>; TTL `expiresAt`
 *   USER#<userId>  PROFILE           a person's profile    gsi3 PERSON#<initial> / <folded name>#<userId>
 *   ROOM#<roomId>  BAN#<userId>      a ban: the user cannot join, be invited or post
 *   ROOM#<roomId>  RETENTION         the room's retention policy (retention-repository.ts)
 *   ROOM#<roomId>  READ#<userId>     a member's last-read message (read-state-repository.ts)
 *
 * The byName index (gsi3) serves prefix search by name: an item that can be
 * found by name carries gsi3pk `<KIND>#<first character of its folded name>`
 * and gsi3sk `<folded name>#<id>`, so a prefix query reads one small
 * partition per kind and letter instead of one hot partition for all names.
 *
 * The byUser index (gsi1) holds a user's memberships (`ROOM#` sort keys) and
 * invitations (`INVITE#` sort keys): every query on it names the prefix it reads.
 *
 * Messages table (roomId, sk), stream NEW_AND_OLD_IMAGES, TTL `expiresAt`:
 *   <roomId>  MSG#<messageId>                       a message (entity "message"; TTL from its room's retention)
 *   <roomId>  DEDUP#<userId>#<clientMessageId>      idempotency marker (entity "dedupe", 24 h TTL)
 *
 * Connections table (pk, sk), TTL `expiresAt`:
 *   CONN#<connectionId>  META                the connection, with the set of rooms it receives
 *   USER#<userId>        CONN#<connectionId> a user's live connections
 *   ROOM#<roomId>        CONN#<connectionId> a room's live connections (fan-out reads one partition)
 *   RATE#<userId>        RATE                the user's rate-limit state (GCRA)
 *   RATE#TYPING#<roomId>#<userId>  RATE      a member's typing-notice limit (GCRA)
 *   PRESENCE#<userId>    PRESENCE            the user's live-connection count and last announced presence
 */
/** A member's read mark in the rooms table; it goes when their membership goes. */
export const readStateKey = (roomId: string, userId: string) => ({ pk: `ROOM#${roomId}`, sk: `READ#${userId}` });

export const ROOMS_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byUserIndex: { name: 'byUser', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  publicRoomsIndex: { name: 'publicRooms', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  nameIndex: { name: 'byName', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  /** Epoch seconds; only invitations carry it, so only they expire. */
  ttlAttribute: 'expiresAt',
} as const;

export const MESSAGES_TABLE = {
  partitionKey: 'roomId',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const CONNECTIONS_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/** Values of the `entity` attribute every item carries; stream filters use it. */
export const ENTITY = {
  room: 'room',
  membership: 'membership',
  invitation: 'invitation',
  profile: 'profile',
  ban: 'ban',
  message: 'message',
  dedupe: 'dedupe',
  connection: 'connection',
  userConnection: 'userConnection',
  roomConnection: 'roomConnection',
  rateLimit: 'rateLimit',
  presence: 'presence',
  readState: 'readState',
} as const;
