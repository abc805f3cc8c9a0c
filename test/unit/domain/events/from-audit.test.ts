import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction, type AuditRecord } from '../../../../lambdas/domain/audit';
import { domainEventSchema } from '../../../../lambdas/domain/events/domain-events';
import { eventOfAuditRecord, needsRoom } from '../../../../lambdas/domain/events/from-audit';
import type { Room } from '../../../../lambdas/domain/types';

const entry = (action: AuditAction, fields: Partial<AuditRecord> = {}): AuditRecord => ({
  entryId: '0123456789abcdef0123456789',
  roomId: 'r-1',
  idempotencyKey: `${action}:1`,
  occurredAt: '2026-12-06T10:00:00.000Z',
  actor: { type: 'user', id: 'u-alice' },
  action,
  ...fields,
});

const room: Room = { roomId: 'r-1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-12-06T10:00:00.000Z' };

/** What each audit action becomes: an event type, or nothing. */
const EXPECTED: Partial<Record<AuditAction, string>> = {
  'room.created': 'room.created',
  'room.updated': 'room.updated',
  'room.deleted': 'room.deleted',
  'member.joined': 'member.joined',
  'member.left': 'member.left',
  'member.removed': 'member.left',
  'member.banned': 'member.left',
  'agent.called': 'agent.replied',
  'moderation.allowed': 'moderation.decided',
  'moderation.redacted': 'moderation.decided',
  'moderation.quarantined': 'moderation.decided',
  'moderation.blocked': 'moderation.decided',
};

/** Details each action's use case records, enough for an event. */
const fieldsOf = (action: AuditAction): Partial<AuditRecord> => {
  if (action.startsWith('member.')) {
    return { target: { type: 'member', id: 'u-bob' }, details: { role: 'member', wasMember: true } };
  }
  if (action.startsWith('moderation.')) {
    return {
      actor: { type: 'system', id: 'moderation' },
      target: { type: 'message', id: 'm-1' },
      details: { reasons: ['pii.email'], senderType: 'human', senderId: 'u-bob', originalKept: true },
    };
  }
  if (action === 'agent.called') {
    return {
      actor: { type: 'agent', id: 'sage' },
      target: { type: 'message', id: 'm-1' },
      details: { outcome: 'completed', modelId: 'amazon.nova-lite-v1:0', inputTokens: 120, outputTokens: 40, latencyMs: 812, replyId: 'm-2' },
    };
  }
  if (action === 'room.updated') return { details: { changed: ['name', 'topic'], visibility: 'public' } };
  if (action === 'room.created') return { details: { visibility: 'public' } };
  return {};
};

describe('eventOfAuditRecord', () => {
  it.each(AUDIT_ACTIONS.map((action) => [action]))('maps %s to its event, or to nothing', (action) => {
    const event = eventOfAuditRecord(entry(action, fieldsOf(action)), room);
    expect(event?.type).toBe(EXPECTED[action]);
    if (event !== undefined) expect(domainEventSchema(event.type).safeParse(event).success).toBe(true);
  });

  it('gives the event the entry’s id, room, time and actor', () => {
    const event = eventOfAuditRecord(entry('member.joined', fieldsOf('member.joined')));
    expect(event).toEqual({
      id: '0123456789abcdef0123456789',
      type: 'member.joined',
      version: 1,
      occurredAt: '2026-12-06T10:00:00.000Z',
      roomId: 'r-1',
      actor: { type: 'user', id: 'u-alice' },
      data: { userId: 'u-bob', role: 'member' },
    });
  });

  it('names a new room from the room, which the trail never keeps', () => {
    expect(needsRoom(entry('room.created'))).toBe(true);
    expect(needsRoom(entry('room.updated'))).toBe(false);
    expect(eventOfAuditRecord(entry('room.created', fieldsOf('room.created')), room)?.data).toEqual({
      name: 'Lobby',
      visibility: 'public',
      ownerId: 'u-alice',
    });
  });

  it('says why a member left', () => {
    const reasons = (['member.left', 'member.removed', 'member.banned'] as const).map(
      (action) => eventOfAuditRecord(entry(action, fieldsOf(action)))?.data,
    );
    expect(reasons).toEqual([
      { userId: 'u-bob', reason: 'left' },
      { userId: 'u-bob', reason: 'removed' },
      { userId: 'u-bob', reason: 'banned' },
    ]);
  });

  it('publishes nothing for banning someone who was not a member', () => {
    const ban = entry('member.banned', { target: { type: 'member', id: 'u-eve' }, details: { wasMember: false } });
    expect(eventOfAuditRecord(ban)).toBeUndefined();
  });

  it('publishes an agent’s call only when it stored a reply', () => {
    const failed = entry('agent.called', {
      actor: { type: 'agent', id: 'sage' },
      details: { outcome: 'failed', modelId: 'amazon.nova-lite-v1:0', inputTokens: 0, outputTokens: 0, reason: 'Throttled' },
    });
    expect(eventOfAuditRecord(failed)).toBeUndefined();
    expect(eventOfAuditRecord(entry('agent.called', fieldsOf('agent.called')))?.data).toEqual({
      agentId: 'sage',
      messageId: 'm-2',
      model: 'amazon.nova-lite-v1:0',
      inputTokens: 120,
      outputTokens: 40,
      latencyMs: 812,
      outcome: 'completed',
    });
  });

  it('names a moderation decision’s detectors, never the text', () => {
    expect(eventOfAuditRecord(entry('moderation.redacted', fieldsOf('moderation.redacted')))?.data).toEqual({
      messageId: 'm-1',
      decision: 'redacted',
      detectors: ['pii.email'],
    });
  });
});
