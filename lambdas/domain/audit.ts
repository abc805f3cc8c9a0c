import type { Page } from './types';

/**
 * The audit trail: append-only records of what happened in a room and who
 * did it. Records never carry message text, prompts, tokens or other raw
 * personal data: a moderation decision names the detectors that fired, an
 * agent call its model, token counts, latency and outcome.
 *
 * @example
 * await deps.audit.record({
 *   roomId,
 *   idempotencyKey: `message:${messageId}:hidden:${requestId}`,
 *   occurredAt: new Date(clock.now()).toISOString(),
 *   actor: { type: 'user', id: identity.userId },
 *   action: 'message.hidden',
 *   target: { type: 'message', id: messageId },
 * });
 */
export const AUDIT_ACTIONS = [
  // Moderation decisions (the moderation stream consumer).
  'moderation.allowed',
  'moderation.redacted',
  'moderation.quarantined',
  'moderation.blocked',
  // Moderator actions over the socket.
  'message.hidden',
  'message.unhidden',
  'message.released',
  'message.deleted',
  'moderation.originalViewed',
  'moderation.settingsChanged',
  // A sender's own edit (deletion is `message.deleted`, whoever deletes).
  'message.edited',
  // Membership and role changes.
  'member.joined',
  'member.left',
  'member.invited',
  'member.removed',
  'member.roleChanged',
  // Invitations: the invitee accepted or declined, or someone withdrew it.
  'invitation.accepted',
  'invitation.declined',
  'invitation.revoked',
  'member.banned',
  'member.unbanned',
  // Room creation, settings, ownership and deletion.
  'room.created',
  'room.updated',
  'room.ownershipTransferred',
  'room.deleted',
  // Agents.
  'agent.configured',
  'agent.removed',
  'agent.called',
  // An agent used a tool while it answered (the tool, its duration and outcome; never its input or result).
  'agent.toolCalled',
  // Someone stopped an agent's reply while it streamed.
  'agent.replyStopped',
  // Someone asked an agent for another answer to a message (regenerateAgentReply).
  'agent.replyRegenerated',
  // Retention: an owner changed how long the room keeps its messages.
  'retention.changed',
  // Room documents: an upload granted (a new document or its next version), a document deleted.
  'document.uploadRequested',
  'document.deleted',
  // Outgoing webhooks: an owner created or deleted one, or rotated its signing secret (never the secret itself).
  'webhook.created',
  'webhook.deleted',
  'webhook.secretRotated',
  // API keys of the HTTP API: an owner created one (its name, scopes and limits; never its secret) or revoked one.
  'apiKey.created',
  'apiKey.revoked',
  // Imposter rounds, each targeting { type: 'round', id: roundId }: started by a user (details: players, durationSeconds),
  // a vote cast by a user (no details: whom stays secret), ended by system `imposter` (details: reason, players, votes, found).
  'game.roundStarted',
  'game.voteCast',
  'game.roundEnded',
  // Guided dialogues, each targeting { type: 'dialogue', id: dialogueId }: initiated by a user (details: scenarioId),
  // a turn answered, actor the player (details: turn, stateKept), resolved by system `dialogue` (details: result, reason, turns).
  'dialogue.initiated',
  'dialogue.progressed',
  'dialogue.resolved',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The families of audit actions: the part of an action before its dot. */
export const AUDIT_FAMILIES = ['moderation', 'message', 'member', 'invitation', 'room', 'agent', 'retention', 'apiKey', 'game', 'dialogue'] as const;
export type AuditFamily = (typeof AUDIT_FAMILIES)[number];

/** What a reader of the log may filter by: a whole family (`member` is every `member.*`) or one action. */
export const AUDIT_KINDS = [...AUDIT_FAMILIES, ...AUDIT_ACTIONS] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Which entries a page of the log keeps; an absent field keeps every entry. */
export interface AuditFilter {
  readonly kinds?: readonly AuditKind[];
  readonly actorId?: string;
}

const isFamily = (kind: AuditKind): kind is AuditFamily => (AUDIT_FAMILIES as readonly string[]).includes(kind);

/** Whether an entry's action is of `kind`. */
export const isOfKind = (action: AuditAction, kind: AuditKind): boolean =>
  isFamily(kind) ? action.startsWith(`${kind}.`) : action === kind;

/** Whether an entry passes the filter: one of its kinds (any, when none given) and done by its actor (anyone, when none). */
export const matchesAuditFilter = (entry: Pick<AuditEntry, 'action' | 'actor'>, filter: AuditFilter): boolean =>
  (filter.kinds === undefined || filter.kinds.some((kind) => isOfKind(entry.action, kind))) &&
  (filter.actorId === undefined || entry.actor.id === filter.actorId);

export type AuditActorType = 'user' | 'agent' | 'system';

export interface AuditActor {
  readonly type: AuditActorType;
  /** A user id, an agent id, or a system component such as `moderation`. */
  readonly id: string;
}

export interface AuditTarget {
  readonly type: 'message' | 'member' | 'agent' | 'room' | 'document' | 'webhook' | 'apiKey' | 'round' | 'dialogue';
  readonly id: string;
}

/** Scalar facts about an entry: counts, names, codes. Never free text written by a person. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | readonly string[]>>;

export interface AuditEntry {
  readonly roomId: string;
  /**
   * Identifies the event, not the attempt: recording the same key twice
   * stores one entry. Derive it from what caused the entry (a stream record's
   * message id and decision, a request id), never from the time of the attempt.
   */
  readonly idempotencyKey: string;
  /** ISO-8601 time of the event. */
  readonly occurredAt: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly target?: AuditTarget;
  readonly details?: AuditDetails;
}

/** An entry as stored, with the id derived from its room and idempotency key. */
export interface AuditRecord extends AuditEntry {
  readonly entryId: string;
}

/** Where features append audit entries. */
export interface AuditLog {
  /** Appends an entry; a second call with the same room and idempotency key changes nothing. */
  record(entry: AuditEntry): Promise<void>;
}

/** Reading a room's audit trail, newest first. */
export interface AuditLogReader {
  /**
   * Reads up to `limit` entries after `cursor` and keeps those that pass
   * `filter`: a filtered page may hold fewer than `limit` entries, even none,
   * while `nextCursor` still leads on.
   */
  page(
    roomId: string,
    options: { readonly limit: number; readonly cursor?: string; readonly filter?: AuditFilter },
  ): Promise<Page<AuditRecord>>;
}

/** An AuditLog that keeps nothing, for code paths and tests that do not audit. */
export const noAudit: AuditLog = { record: async () => undefined };

const AUDIT_DETAIL_MAX_STRING = 256;

/**
 * Throws when an entry carries something an audit record must not: free
 * text longer than a code or a name, or a detail that is not a scalar.
 * Keeps a careless caller from copying a message body into the trail.
 */
export function assertAuditable(entry: AuditEntry): void {
  const tooLong = (value: string) => value.length > AUDIT_DETAIL_MAX_STRING;
  if (entry.idempotencyKey.length === 0 || tooLong(entry.idempotencyKey)) {
    throw new Error('An audit entry needs an idempotency key of 1 to 256 characters.');
  }
  if (Number.isNaN(Date.parse(entry.occurredAt))) throw new Error('An audit entry needs an ISO occurredAt.');
  for (const [name, value] of Object.entries(entry.details ?? {})) {
    const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    if (strings.some((s) => typeof s !== 'string' || tooLong(s))) {
      throw new Error(`Audit detail "${name}" must be short scalar values, never free text.`);
    }
  }
}

/** Where the audit trail is copied for keeping: write-once objects. */
export interface AuditArchive {
  /** Writes `body` at `key` unless something is already there; says which happened. */
  putOnce(key: string, body: string): Promise<'written' | 'exists'>;
}
