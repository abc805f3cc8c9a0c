import type { AuditDetails, AuditRecord } from '../audit';
import type { Room } from '../types';
import { EVENT_VERSION, type DomainEvent, type DomainEventType } from './domain-events';

/**
 * Which domain event an audit entry stands for. The audit trail is the one
 * record of what happened to rooms, memberships, agents' calls and
 * moderation decisions, rounds and dialogues; the publisher turns its new entries into events
 * (docs/events.md), so no use case writes twice. Entries that are not events
 * (invitations, edits, settings of moderation, ...) map to nothing.
 */

/** Audit actions whose event needs the room as it is now (room.created carries the name, which the trail never keeps). */
export const needsRoom = (record: Pick<AuditRecord, 'action'>): boolean => record.action === 'room.created';

const str = (details: AuditDetails | undefined, name: string): string | undefined => {
  const value = details?.[name];
  return typeof value === 'string' ? value : undefined;
};
const num = (details: AuditDetails | undefined, name: string): number => {
  const value = details?.[name];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
};
const strings = (details: AuditDetails | undefined, name: string): string[] => {
  const value = details?.[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

const ROLES = ['owner', 'moderator', 'member', 'guest'] as const;
const roleOf = (details: AuditDetails | undefined): (typeof ROLES)[number] => {
  const role = str(details, 'role');
  return (ROLES as readonly string[]).includes(role ?? '') ? (role as (typeof ROLES)[number]) : 'member';
};

const DECISIONS = {
  'moderation.allowed': 'allowed',
  'moderation.redacted': 'redacted',
  'moderation.quarantined': 'quarantined',
  'moderation.blocked': 'blocked',
} as const;

const LEAVES = { 'member.left': 'left', 'member.removed': 'removed', 'member.banned': 'banned' } as const;

/** A count the entry must carry: a non-negative integer, else undefined. */
const count = (details: AuditDetails | undefined, name: string): number | undefined => {
  const value = details?.[name];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
};
const oneOf = <T extends string>(details: AuditDetails | undefined, name: string, allowed: readonly T[]): T | undefined => {
  const value = str(details, name);
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
};
const ROOM_EVENT_MODES = ['imposter', 'dialogue'] as const;
const ROUND_END_REASONS = ['time', 'allVoted'] as const;
const DIALOGUE_RESULTS = ['success', 'partial', 'failure'] as const;
const DIALOGUE_END_REASONS = ['requested', 'goal', 'turnLimit'] as const;

/**
 * The events of rounds and dialogues. Each needs its target and every detail
 * its use case records (audit.ts); an entry missing one maps to no event
 * rather than to an event with invented facts, and rather than failing the
 * batch, which no retry could mend.
 */
function gameEventOf(record: AuditRecord, targetId: string | undefined): { type: DomainEventType; data: object } | undefined {
  const { details } = record;
  switch (record.action) {
    case 'game.roundStarted': {
      const players = count(details, 'players');
      const durationSeconds = count(details, 'durationSeconds');
      if (record.target?.type !== 'round' || targetId === undefined || players === undefined || !durationSeconds) return undefined;
      return { type: 'round.started', data: { roundId: targetId, players, durationSeconds } };
    }
    case 'game.voteCast':
      // Whom the vote was for is secret until the round ends, and never in the trail.
      if (record.target?.type !== 'round' || targetId === undefined) return undefined;
      return { type: 'vote.cast', data: { roundId: targetId } };
    case 'game.roundEnded': {
      const reason = oneOf(details, 'reason', ROUND_END_REASONS);
      const [players, votes, found] = [count(details, 'players'), count(details, 'votes'), count(details, 'found')];
      if (record.target?.type !== 'round' || targetId === undefined || reason === undefined) return undefined;
      if (players === undefined || votes === undefined || found === undefined) return undefined;
      return { type: 'round.ended', data: { roundId: targetId, reason, players, votes, found } };
    }
    case 'dialogue.initiated': {
      const scenarioId = str(details, 'scenarioId');
      if (record.target?.type !== 'dialogue' || targetId === undefined || scenarioId === undefined || scenarioId === '') return undefined;
      return { type: 'dialogue.initiated', data: { dialogueId: targetId, scenarioId } };
    }
    case 'dialogue.progressed': {
      const turn = count(details, 'turn');
      const stateKept = details?.['stateKept'];
      if (record.target?.type !== 'dialogue' || targetId === undefined || turn === undefined || typeof stateKept !== 'boolean') return undefined;
      return { type: 'dialogue.progressed', data: { dialogueId: targetId, turn, stateKept } };
    }
    case 'dialogue.resolved': {
      const result = oneOf(details, 'result', DIALOGUE_RESULTS);
      const reason = oneOf(details, 'reason', DIALOGUE_END_REASONS);
      const turns = count(details, 'turns');
      if (record.target?.type !== 'dialogue' || targetId === undefined) return undefined;
      if (result === undefined || reason === undefined || turns === undefined) return undefined;
      return { type: 'dialogue.resolved', data: { dialogueId: targetId, result, reason, turns } };
    }
    default:
      return undefined;
  }
}

/**
 * The event of an audit entry, or undefined when the entry is not one.
 * The event's id is the entry's id, so a retried batch republishes the
 * same ids and consumers drop the repeats. `room` is the entry's room as it
 * is now, read only for entries `needsRoom` names.
 *
 * @example
 * eventOfAuditRecord(record, rooms.get(record.roomId)); // { type: 'member.joined', ... } or undefined
 */
export function eventOfAuditRecord(record: AuditRecord, room?: Room): DomainEvent | undefined {
  const { details } = record;
  const envelope = <T extends DomainEventType>(type: T) => ({
    id: record.entryId,
    type,
    version: EVENT_VERSION[type],
    occurredAt: record.occurredAt,
    roomId: record.roomId,
    actor: { type: record.actor.type, id: record.actor.id },
  });
  const targetId = record.target?.id;
  switch (record.action) {
    case 'room.created': {
      const visibility = str(details, 'visibility');
      // Chat rooms, and rooms made before modes, carry no mode.
      const mode = oneOf(details, 'mode', ROOM_EVENT_MODES);
      return {
        ...envelope('room.created'),
        data: {
          // A room purged before its event went out has no name left to give.
          name: room?.name ?? '',
          // As created: a later change has its own room.updated event.
          visibility: visibility === 'public' || visibility === 'private' ? visibility : (room?.visibility ?? 'private'),
          ownerId: record.actor.id,
          ...(mode !== undefined ? { mode } : {}),
        },
      } as DomainEvent;
    }
    case 'room.updated':
      return { ...envelope('room.updated'), data: { changed: strings(details, 'changed') } } as DomainEvent;
    case 'room.deleted':
      return { ...envelope('room.deleted'), data: {} } as DomainEvent;
    case 'member.joined':
      if (targetId === undefined) return undefined;
      return { ...envelope('member.joined'), data: { userId: targetId, role: roleOf(details) } } as DomainEvent;
    case 'member.left':
    case 'member.removed':
    case 'member.banned':
      // Banning someone who was not a member takes nobody out of the room.
      if (targetId === undefined || (record.action === 'member.banned' && details?.['wasMember'] !== true)) return undefined;
      return { ...envelope('member.left'), data: { userId: targetId, reason: LEAVES[record.action] } } as DomainEvent;
    case 'agent.called': {
      // Only a call that stored a reply; a failed, refused or empty one posted nothing.
      const replyId = str(details, 'replyId');
      const model = str(details, 'modelId');
      if (replyId === undefined || model === undefined) return undefined;
      return {
        ...envelope('agent.replied'),
        data: {
          agentId: record.actor.id,
          messageId: replyId,
          model,
          inputTokens: Math.round(num(details, 'inputTokens')),
          outputTokens: Math.round(num(details, 'outputTokens')),
          latencyMs: num(details, 'latencyMs'),
          outcome: str(details, 'outcome') ?? 'completed',
        },
      } as DomainEvent;
    }
    case 'moderation.allowed':
    case 'moderation.redacted':
    case 'moderation.quarantined':
    case 'moderation.blocked':
      if (targetId === undefined) return undefined;
      return {
        ...envelope('moderation.decided'),
        data: { messageId: targetId, decision: DECISIONS[record.action], detectors: strings(details, 'reasons') },
      } as DomainEvent;
    case 'game.roundStarted':
    case 'game.voteCast':
    case 'game.roundEnded':
    case 'dialogue.initiated':
    case 'dialogue.progressed':
    case 'dialogue.resolved': {
      const game = gameEventOf(record, targetId);
      return game === undefined ? undefined : ({ ...envelope(game.type), data: game.data } as DomainEvent);
    }
    default:
      return undefined;
  }
}
