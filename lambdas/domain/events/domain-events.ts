import { z } from 'zod';

/**
 * Parley's domain events: what happened in a room, published on the event
 * bus for other services, analytics and webhooks. Each event type has a
 * version; a change that removes or retypes a field is a new version, and
 * adding an optional field is not (docs/events.md).
 *
 * Events carry ids and metadata, never text a person wrote, except a
 * message's text on `message.posted` when its room opts in.
 */

/** The bus's `source` for every Parley event. */
export const EVENT_SOURCE = 'parley';

const id = z.string().min(1).max(200);
const actorType = z.enum(['user', 'agent', 'integration', 'system']);

export const EVENT_DATA = {
  'room.created': z.object({
    name: z.string(),
    visibility: z.enum(['public', 'private']),
    ownerId: id,
    /** Absent for a chat room, as before modes existed. */
    mode: z.enum(['imposter', 'dialogue']).optional(),
  }),
  'room.updated': z.object({ changed: z.array(z.string()) }),
  'room.deleted': z.object({}),
  'member.joined': z.object({ userId: id, role: z.enum(['owner', 'moderator', 'member', 'guest']) }),
  'member.left': z.object({ userId: id, reason: z.enum(['left', 'removed', 'banned']) }),
  'message.posted': z.object({
    messageId: id,
    senderId: id,
    senderType: actorType,
    /** Characters in the text, counted as code points. */
    length: z.number().int().nonnegative(),
    /** Present only when the room opts in to sharing message text. */
    text: z.string().optional(),
  }),
  'agent.replied': z.object({
    agentId: id,
    messageId: id.optional(),
    model: z.string(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    latencyMs: z.number().nonnegative(),
    outcome: z.string(),
  }),
  'moderation.decided': z.object({
    messageId: id,
    decision: z.enum(['allowed', 'redacted', 'quarantined', 'blocked']),
    detectors: z.array(z.string()),
  }),
  'round.started': z.object({ roundId: id, players: z.number().int().nonnegative(), durationSeconds: z.number().int().positive() }),
  /** The voter is the event's actor; whom they voted for stays secret until the round ends. */
  'vote.cast': z.object({ roundId: id }),
  'round.ended': z.object({
    roundId: id,
    reason: z.enum(['time', 'allVoted']),
    players: z.number().int().nonnegative(),
    votes: z.number().int().nonnegative(),
    /** How many players voted for the AI's seat. */
    found: z.number().int().nonnegative(),
  }),
  'dialogue.initiated': z.object({ dialogueId: id, scenarioId: id }),
  'dialogue.progressed': z.object({ dialogueId: id, turn: z.number().int().nonnegative(), stateKept: z.boolean() }),
  'dialogue.resolved': z.object({
    dialogueId: id,
    result: z.enum(['success', 'partial', 'failure']),
    reason: z.enum(['requested', 'goal', 'turnLimit']),
    turns: z.number().int().nonnegative(),
  }),
} as const;

export type DomainEventType = keyof typeof EVENT_DATA;
export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_DATA) as DomainEventType[];

/** The version each type is published at today. */
export const EVENT_VERSION: Readonly<Record<DomainEventType, number>> = Object.fromEntries(
  DOMAIN_EVENT_TYPES.map((type) => [type, 1]),
) as Record<DomainEventType, number>;

/**
 * The envelope, an EventBridge event's `detail` (its `detail-type` is
 * `type`). `id` is derived from what caused the event (a stream record, an
 * audit entry), so a retried publication repeats it and consumers can drop
 * the repeat.
 */
export const domainEventSchema = <T extends DomainEventType>(type: T) =>
  z.object({
    id,
    type: z.literal(type),
    version: z.literal(EVENT_VERSION[type]),
    occurredAt: z.iso.datetime(),
    roomId: id,
    actor: z.object({ type: actorType, id }).optional(),
    data: EVENT_DATA[type],
  });

export type DomainEvent<T extends DomainEventType = DomainEventType> = T extends DomainEventType
  ? z.infer<ReturnType<typeof domainEventSchema<T>>>
  : never;

/** Where domain events go (EventBridge in AWS, the local bus in `npm start`). */
export interface DomainEventPublisher {
  /** Publishes the events; resolves once every one is accepted, throws naming those that were not. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}
