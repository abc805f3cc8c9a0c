import * as z from 'zod/mini';
import { SENDER_TYPES, MODERATION_STATES, type FinalModerationState } from './message';
import { GUEST_ACCESS, ROLES, ROOM_MODES, VISIBILITIES } from './types';
import { ROOM_REMOVED_REASONS } from './room-protocol';
import { DOCUMENT_STATUSES } from './knowledge/documents';
import type { ToolStatus } from './agents/tool-names';
import type { ErrorCode } from './errors';
import type { ReceivedFrame } from './protocol';

/**
 * The frames Parley sends, as schemas: what the published AsyncAPI document
 * (lambdas/contracts/asyncapi.ts) specifies and the contract tests check
 * delivered frames against. The frame types of protocol.ts stay the one
 * definition the code compiles against; the assertions at the end of this
 * file prove these schemas describe exactly those types, so a frame added
 * or changed there without its schema here fails to compile.
 *
 * Nothing at run time parses frames with these: Parley builds its frames
 * from typed values, so only the specification and the tests need them.
 */

const text = (description: string) => z.string().check(z.meta({ description }));
const timestamp = (description: string) => z.string().check(z.meta({ description, format: 'date-time' }));
const optional = <T extends z.core.SomeType>(schema: T) => z.optional(schema);

const FINAL_STATES = ['allowed', 'redacted', 'quarantined', 'blocked'] as const satisfies readonly FinalModerationState[];
const TOOL_STATUSES = ['searchingHistory', 'searchingDocuments', 'readingSummary', 'checkingTime'] as const satisfies readonly ToolStatus[];

/** Every code an error frame carries; the record's type makes a new code in errors.ts fail to compile until it is listed. */
const ERROR_CODE_LIST: { readonly [C in ErrorCode]: true } = {
  BAD_REQUEST: true,
  MALFORMED_JSON: true,
  UNKNOWN_ACTION: true,
  PAYLOAD_TOO_LARGE: true,
  UNAUTHORIZED: true,
  SESSION_EXPIRED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  CONFLICT: true,
  RATE_LIMITED: true,
  RESPONSE_TOO_LARGE: true,
  WEBHOOK_TARGET_INVALID: true,
  INTERNAL: true,
};

const roomSchema = z.object({
  roomId: text('The room id.'),
  name: text('The room name.'),
  visibility: z.enum(VISIBILITIES),
  ownerId: text('The user id of its owner.'),
  createdAt: timestamp('When the room was created.'),
  mode: optional(z.enum(ROOM_MODES).check(z.meta({ description: 'What the room is for: chat (absent), imposter or dialogue; fixed at creation.' }))),
  topic: optional(text('What the room is about; absent when none was set.')),
  preview: optional(z.boolean().check(z.meta({ description: 'Whether non-members may read a public room before joining.' }))),
  shareMessageTextInEvents: optional(
    z.boolean().check(z.meta({ description: 'Whether the room’s message.posted domain events carry the text (docs/events.md).' })),
  ),
  guestAccess: optional(
    z.enum(GUEST_ACCESS).check(z.meta({ description: 'Whether guests may enter through the widget: off (absent), read or post.' })),
  ),
  shareMessageTextInEventsSince: optional(timestamp('When the owner last turned text sharing on: only messages posted since carry it.')),
  deletedAt: optional(timestamp('When the room was deleted.')),
});

const membershipSchema = z.object({
  roomId: z.string(),
  userId: z.string(),
  displayName: text('The member display name in this room.'),
  role: z.enum(ROLES),
  joinedAt: timestamp('When they joined.'),
  expiresAt: optional(timestamp('When a guest membership lapses, with the guest token; absent for members.')),
});

const invitationSchema = z.object({
  roomId: z.string(),
  userId: text('Who is invited.'),
  role: z.enum(['moderator', 'member', 'guest']),
  invitedBy: z.string(),
  invitedAt: timestamp('When it was sent.'),
  invitedByName: z.string(),
  inviteeName: z.string(),
  roomName: z.string(),
  roomMode: optional(z.enum(ROOM_MODES).check(z.meta({ description: 'The room’s mode: imposter or dialogue; absent for chat. Show its notice before accepting.' }))),
  expiresAt: timestamp('After this it is refused and no longer listed.'),
});

const mentionSchema = z.object({ kind: z.enum(['member', 'agent']), id: text('A user id or an agent handle.') });

const citationSchema = z.object({
  n: z.number().check(z.meta({ description: 'The number the reply text uses: [1], [2]...' })),
  documentId: z.string(),
  version: z.number(),
  chunk: z.number(),
  name: z.string(),
  section: z.string(),
  page: optional(z.number()),
});

const messageFields = {
  roomId: z.string(),
  messageId: text('Time-sortable unique id (26 characters, Crockford base 32).'),
  senderId: z.string(),
  senderName: z.string(),
  senderType: z.enum(SENDER_TYPES),
  text: z.string(),
  clientMessageId: optional(text('The id the sender gave it, to match its ack.')),
  createdAt: timestamp('When it was stored.'),
  agents: optional(z.literal(true)),
  editedAt: optional(timestamp('When its sender last edited it.')),
  mentions: optional(z.readonly(z.array(mentionSchema))),
  citations: optional(z.readonly(z.array(citationSchema))),
  // Moderation's fields: present once moderation has seen the message.
  moderation: optional(z.enum(MODERATION_STATES)),
  decision: optional(z.enum(FINAL_STATES)),
  reasons: optional(z.readonly(z.array(text('What a check found, e.g. pii.email; never the matched text.')))),
  moderatedAt: optional(z.string()),
  redacted: optional(z.boolean()),
  hidden: optional(z.object({ by: z.string(), at: z.string() })),
  releasedBy: optional(z.string()),
};

/** A message as clients receive it (`WireMessage`). */
export const wireMessageSchema = z.object(messageFields).check(
  z.meta({ description: 'A message, with its moderation fields once moderation has seen it.' }),
);

const agentRefSchema = z.object({ handle: z.string(), displayName: z.string() });

const agentReplyMetaSchema = z.object({
  handle: z.string(),
  modelId: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  latencyMs: z.number(),
  replyDepth: z.number(),
  triggerMessageId: z.string(),
  incomplete: optional(z.boolean()),
  stopped: optional(z.boolean()),
  attempt: optional(z.number()),
});

const agentMessageSchema = z.object({ ...messageFields, agent: agentReplyMetaSchema });

const roomEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('memberJoined'), member: membershipSchema }),
  z.object({ kind: z.literal('memberLeft'), userId: z.string() }),
  z.object({ kind: z.literal('memberRemoved'), userId: z.string(), by: z.string() }),
  z.object({ kind: z.literal('roleChanged'), member: membershipSchema, by: z.string() }),
  z.object({ kind: z.literal('memberRenamed'), member: membershipSchema }),
  z.object({ kind: z.literal('roomCreated'), room: roomSchema }),
]);


const roundStatus = z.enum(['open', 'ended']);
const endReason = z.enum(['time', 'allVoted']);
const seatKind = z.enum(['person', 'agent']);
const seatViewFields = { seat: z.number(), alias: text('The round name everyone sees for this seat.') };

const roundViewSchema = z.object({
  roomId: z.string(),
  roundId: z.string(),
  status: roundStatus,
  startedAt: timestamp('When the round started.'),
  endsAt: timestamp('When it ends unless every player votes first.'),
  durationSeconds: z.number(),
  seats: z.readonly(z.array(z.object(seatViewFields))),
  players: z.number().check(z.meta({ description: 'People seated; the AI seat is not counted.' })),
  lines: z.number(),
  votes: z.number(),
  yourSeat: optional(z.number().check(z.meta({ description: 'The caller seat; only in answers to the caller.' }))),
  endedAt: optional(z.string()),
  endReason: optional(endReason),
});

const roundLineSchema = z.object({
  roundId: z.string(),
  seq: z.number(),
  seat: z.number(),
  alias: z.string(),
  text: z.string(),
  at: timestamp('When it was written.'),
  clientLineId: optional(z.string()),
});

const roundRevealSchema = z.object({
  agentSeat: z.number(),
  agentLabel: text('What the AI was, hidden until the round ended.'),
  seats: z.readonly(z.array(z.object({ ...seatViewFields, kind: seatKind, displayName: z.string(), playerId: z.string() }))),
  votes: z.readonly(z.array(z.object({ voterSeat: z.number(), votedSeat: z.number() }))),
});

const roundScoreSchema = z.object({
  playerId: z.string(),
  kind: seatKind,
  displayName: z.string(),
  points: z.number(),
  outcome: z.enum(['found', 'missed', 'abstained', 'undetected', 'detected']),
});

const levels = z.readonly(z.record(z.string(), z.number()));
const characterStateSchema = z.object({
  characterId: z.string(),
  name: z.string(),
  mood: z.number(),
  opinions: levels,
  traits: z.readonly(z.array(z.string())),
});
const characterViewSchema = z.object({
  characterId: z.string(),
  name: z.string(),
  mood: optional(z.number()),
  opinions: optional(levels),
  traits: optional(z.readonly(z.array(z.string()))),
});
const responseOptionSchema = z.object({ optionId: text('o1, o2, ...'), text: z.string() });
const resolutionReason = z.enum(['requested', 'goal', 'turnLimit']);
const dialogueOutcomeSchema = z.object({
  result: z.enum(['success', 'partial', 'failure']),
  goalReached: z.boolean(),
  reason: resolutionReason,
  turns: z.number(),
  summary: z.string(),
  finalState: z.readonly(z.array(characterStateSchema)),
  resolvedAt: z.string(),
});
const dialogueViewSchema = z.object({
  roomId: z.string(),
  dialogueId: z.string(),
  scenarioId: z.string(),
  title: z.string(),
  goal: z.string(),
  playerRole: optional(z.string()),
  status: z.enum(['active', 'resolved']),
  startedAt: z.string(),
  turn: z.number(),
  maxTurns: z.number(),
  pendingTurn: optional(z.number()),
  resolving: optional(resolutionReason),
  characters: z.readonly(z.array(characterViewSchema)),
  options: z.readonly(z.array(responseOptionSchema)),
  outcome: optional(dialogueOutcomeSchema),
});
const stateChangeSchema = z.union([
  z.object({ characterId: z.string(), field: z.literal('mood'), from: z.number(), to: z.number() }),
  z.object({ characterId: z.string(), field: z.literal('opinion'), key: z.string(), from: z.number(), to: z.number() }),
  z.object({ characterId: z.string(), field: z.literal('trait'), key: z.string(), change: z.enum(['added', 'removed']) }),
]);
const dialogueTurnSchema = z.object({
  dialogueId: z.string(),
  turn: z.number(),
  playerId: optional(z.string()),
  playerName: optional(z.string()),
  text: optional(z.string()),
  optionId: optional(z.string()),
  replies: z.readonly(z.array(z.object({ characterId: z.string(), name: z.string(), text: z.string() }))),
  changes: z.readonly(z.array(stateChangeSchema)),
  at: z.string(),
  stateKept: optional(z.boolean()),
});

const frame = <T extends string, S extends z.core.$ZodLooseShape>(type: T, description: string, shape: S) =>
  z.object({ type: z.literal(type), ...shape }).check(z.meta({ title: type, description }));

/** Every frame, by its `type`, with what it means; the AsyncAPI document lists them in this order. */
export const frameSchemas = {
  ack: frame('ack', 'The answer to a request: the action, its requestId and its result.', {
    action: z.string(),
    requestId: optional(z.string()),
    data: z.unknown().check(z.meta({ description: 'The action result; see docs/protocol.md for each action.' })),
  }),
  error: frame('error', 'A request was refused or failed; sent to the caller only, and nothing changed.', {
    code: text(`A stable machine-readable code: ${Object.keys(ERROR_CODE_LIST).join(', ')} (docs/protocol.md, "Error codes").`),
    message: text('What went wrong, for people.'),
    requestId: optional(z.string()),
    action: optional(z.string()),
  }),
  message: frame('message', 'A new message in a room the connection follows.', {
    roomId: z.string(),
    message: wireMessageSchema,
  }),
  messageUpdated: frame('messageUpdated', 'A message changed (edited, moderated, hidden, released): replace it by messageId.', {
    roomId: z.string(),
    message: wireMessageSchema,
  }),
  messageRemoved: frame('messageRemoved', 'A message the client may no longer show: remove it.', {
    roomId: z.string(),
    messageId: z.string(),
  }),
  roomEvent: frame('roomEvent', 'Someone joined, left, was removed, changed role or name; a room was created.', {
    roomId: z.string(),
    event: roomEventSchema,
  }),
  roomUpdated: frame('roomUpdated', 'A room of the user list changed its settings: replace it by roomId.', {
    room: roomSchema,
  }),
  roomRemoved: frame('roomRemoved', 'A room is no longer the user one: drop it and everything shown about it.', {
    roomId: z.string(),
    reason: z.enum(ROOM_REMOVED_REASONS),
  }),
  agentDelta: frame('agentDelta', 'Part of an agent reply being generated; seq orders the parts of one reply.', {
    roomId: z.string(),
    replyId: z.string(),
    agent: agentRefSchema,
    text: z.string(),
    seq: z.number(),
  }),
  agentDone: frame('agentDone', 'An agent reply is complete (or incomplete, or stopped) and stored.', {
    roomId: z.string(),
    replyId: z.string(),
    message: agentMessageSchema,
    incomplete: optional(z.boolean()),
    stopped: optional(z.boolean()),
  }),
  agentThinking: frame('agentThinking', 'An agent took a message and is about to answer it (status: the tool it uses).', {
    roomId: z.string(),
    messageId: z.string(),
    agent: agentRefSchema,
    status: optional(z.enum(TOOL_STATUSES)),
  }),
  notice: frame('notice', 'Something the room should know, such as an agent being unavailable.', {
    roomId: z.string(),
    text: z.string(),
    code: text('AGENT_UNAVAILABLE, AGENT_BUDGET_EXHAUSTED, AGENT_REPLY_INCOMPLETE, AGENT_EMPTY_REPLY, AGENT_REPLY_STOPPED or another code.'),
    messageId: optional(z.string()),
    agent: optional(agentRefSchema),
  }),
  agentChanged: frame('agentChanged', 'A room manager added, changed or removed an agent.', {
    roomId: z.string(),
    change: z.enum(['added', 'updated', 'removed']),
    agent: agentRefSchema,
    by: z.string(),
  }),
  invitation: frame('invitation', 'Someone invited the user to a room (or renewed an invitation).', {
    invitation: invitationSchema,
  }),
  invitationRevoked: frame('invitationRevoked', 'An invitation to the user was withdrawn.', {
    roomId: z.string(),
    by: z.string(),
  }),
  invitationDeclined: frame('invitationDeclined', 'The user declined an invitation on another connection.', {
    roomId: z.string(),
  }),
  roomAdded: frame('roomAdded', 'The user is now a member of a room: list it and receive its messages.', {
    room: roomSchema,
    membership: membershipSchema,
  }),
  presence: frame('presence', 'A member came online (first connection) or went offline (last one closed).', {
    roomId: z.string(),
    userId: z.string(),
    online: z.boolean(),
  }),
  typing: frame('typing', 'A member is typing; show it for expiresInMs unless a newer notice renews it.', {
    roomId: z.string(),
    userId: z.string(),
    displayName: z.string(),
    expiresInMs: z.number(),
  }),
  readState: frame('readState', 'The user read the room up to messageId on another connection.', {
    roomId: z.string(),
    messageId: z.string(),
    readAt: z.string(),
  }),
  documentStatus: frame('documentStatus', 'A document status, to the room owners and moderators.', {
    roomId: z.string(),
    documentId: z.string(),
    name: z.string(),
    version: z.number(),
    status: z.enum(DOCUMENT_STATUSES),
    reason: optional(z.string()),
    chunks: optional(z.number()),
  }),
  documentDeleted: frame('documentDeleted', 'A document and all it held are gone.', {
    roomId: z.string(),
    documentId: z.string(),
  }),
  roundStarted: frame('roundStarted', 'An imposter round began; ask getRound for your own seat.', {
    roomId: z.string(),
    round: roundViewSchema,
  }),
  roundLine: frame('roundLine', 'A line in the round chat, under its seat round name.', { roomId: z.string(), line: roundLineSchema }),
  roundVote: frame('roundVote', 'Someone voted: how many of how many, never who or for whom.', {
    roomId: z.string(),
    roundId: z.string(),
    votes: z.number(),
    players: z.number(),
  }),
  roundEnded: frame('roundEnded', 'The round ended: who sat where, which seat was the AI, the votes and the points.', {
    roomId: z.string(),
    round: roundViewSchema,
    reveal: roundRevealSchema,
    scores: z.readonly(z.array(roundScoreSchema)),
  }),
  dialogueStarted: frame('dialogueStarted', 'A dialogue began from a scenario, with its opening line when it has one.', {
    roomId: z.string(),
    dialogue: dialogueViewSchema,
    opening: optional(dialogueTurnSchema),
  }),
  dialogueProgressed: frame('dialogueProgressed', 'A turn was answered: the replies, what changed, the new options.', {
    roomId: z.string(),
    dialogue: dialogueViewSchema,
    turn: dialogueTurnSchema,
  }),
  dialogueResolved: frame('dialogueResolved', 'The dialogue ended with an outcome and a summary.', {
    roomId: z.string(),
    dialogue: dialogueViewSchema,
    outcome: dialogueOutcomeSchema,
  }),
} as const;

export type FrameType = keyof typeof frameSchemas;

/** Any frame Parley sends, told apart by `type`. */
export const frameSchema = z.discriminatedUnion('type', Object.values(frameSchemas) as unknown as [
  (typeof frameSchemas)[FrameType],
  ...(typeof frameSchemas)[FrameType][],
]);

// The proof that the schemas and the frame types agree, frame by frame: each
// side is assignable to the other (literals and enums included), and both
// have the same fields at every depth with the same optionality (which
// assignability alone would not see: an optional field missing on one side).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Shape<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer E)[]
        ? Shape<E>[]
        : T extends object
          ? { -readonly [K in keyof T]: Shape<T[K]> }
          : T;
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type SchemaOf<T extends FrameType> = z.output<(typeof frameSchemas)[T]>;
type TypeOf<T extends string> = Extract<ReceivedFrame, { type: T }>;
type Agrees<A, B> = Mutual<A, B> extends true ? Same<Shape<A>, Shape<B>> : false;
type Disagreeing = { [T in FrameType]: Agrees<SchemaOf<T>, TypeOf<T>> extends true ? never : T }[FrameType];
type Unspecified = Exclude<ReceivedFrame['type'], FrameType>;

const assertNever = <T extends never>(): T | undefined => undefined;
/** Names a frame whose schema does not match its type. */
assertNever<Disagreeing>();
/** Names a frame type that has no schema. */
assertNever<Unspecified>();
