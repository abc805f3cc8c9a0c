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
  'game.roundStarted': 'round.started',
  'game.voteCast': 'vote.cast',
  'game.roundEnded': 'round.ended',
  'dialogue.initiated': 'dialogue.initiated',
  'dialogue.progressed': 'dialogue.progressed',
  'dialogue.resolved': 'dialogue.resolved',
};

const round = { type: 'round', id: 'rd-1' } as const;
const dialogue = { type: 'dialogue', id: 'dl-1' } as const;
const imposter = { type: 'system', id: 'imposter' } as const;
/** What the imposter and dialogue use cases record (audit.ts). */
const GAME_FIELDS: Partial<Record<AuditAction, Partial<AuditRecord>>> = {
  'game.roundStarted': { target: round, details: { players: 4, durationSeconds: 300 } },
  'game.voteCast': { target: round },
  'game.roundEnded': { actor: imposter, target: round, details: { reason: 'allVoted', players: 4, votes: 4, found: 3 } },
  'dialogue.initiated': { target: dialogue, details: { scenarioId: 'market-haggle' } },
  'dialogue.progressed': { target: dialogue, details: { turn: 2, stateKept: true } },
  'dialogue.resolved': { actor: { type: 'system', id: 'dialogue' }, target: dialogue, details: { result: 'partial', reason: 'turnLimit', turns: 8 } },
};

/** Details each action's use case records, enough for an event. */
const fieldsOf = (action: AuditAction): Partial<AuditRecord> => {
  const game = GAME_FIELDS[action];
  if (game !== undefined) return game;
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

  it('carries a game room’s mode on room.created, and none for chat or a room made before modes', () => {
    const created = (details: Record<string, string>) => eventOfAuditRecord(entry('room.created', { details }), room)?.data;

    expect(created({ visibility: 'public', mode: 'imposter' })).toMatchObject({ mode: 'imposter' });
    expect(created({ visibility: 'public', mode: 'dialogue' })).toMatchObject({ mode: 'dialogue' });
    expect(created({ visibility: 'public', mode: 'chat' })).not.toHaveProperty('mode');
    expect(created({ visibility: 'public' })).not.toHaveProperty('mode');
    expect(created({ visibility: 'public', mode: 'poker' })).not.toHaveProperty('mode');
  });

  it('maps rounds and dialogues to their events with the details their use cases record', () => {
    const dataOf = (action: AuditAction) => eventOfAuditRecord(entry(action, GAME_FIELDS[action]))?.data;

    expect(dataOf('game.roundStarted')).toEqual({ roundId: 'rd-1', players: 4, durationSeconds: 300 });
    expect(dataOf('game.voteCast')).toEqual({ roundId: 'rd-1' });
    expect(dataOf('game.roundEnded')).toEqual({ roundId: 'rd-1', reason: 'allVoted', players: 4, votes: 4, found: 3 });
    expect(dataOf('dialogue.initiated')).toEqual({ dialogueId: 'dl-1', scenarioId: 'market-haggle' });
    expect(dataOf('dialogue.progressed')).toEqual({ dialogueId: 'dl-1', turn: 2, stateKept: true });
    expect(dataOf('dialogue.resolved')).toEqual({ dialogueId: 'dl-1', result: 'partial', reason: 'turnLimit', turns: 8 });
  });

  it('keeps the system actor of an ended round and a resolved dialogue', () => {
    expect(eventOfAuditRecord(entry('game.roundEnded', GAME_FIELDS['game.roundEnded']))?.actor).toEqual({ type: 'system', id: 'imposter' });
  });

  it.each([
    ['game.roundStarted', 'no target', { details: { players: 4, durationSeconds: 300 } }],
    ['game.roundStarted', 'a target that is not a round', { target: dialogue, details: { players: 4, durationSeconds: 300 } }],
    ['game.roundStarted', 'no duration', { target: round, details: { players: 4 } }],
    ['game.roundStarted', 'a zero duration', { target: round, details: { players: 4, durationSeconds: 0 } }],
    ['game.roundStarted', 'a fractional player count', { target: round, details: { players: 2.5, durationSeconds: 300 } }],
    ['game.roundStarted', 'a count as text', { target: round, details: { players: '4', durationSeconds: 300 } }],
    ['game.voteCast', 'no target', {}],
    ['game.roundEnded', 'an unknown reason', { target: round, details: { reason: 'boredom', players: 4, votes: 4, found: 1 } }],
    ['game.roundEnded', 'a negative count', { target: round, details: { reason: 'time', players: 4, votes: -1, found: 1 } }],
    ['game.roundEnded', 'no found count', { target: round, details: { reason: 'time', players: 4, votes: 4 } }],
    ['dialogue.initiated', 'no scenario', { target: dialogue }],
    ['dialogue.initiated', 'an empty scenario', { target: dialogue, details: { scenarioId: '' } }],
    ['dialogue.initiated', 'a round for a target', { target: round, details: { scenarioId: 'market-haggle' } }],
    ['dialogue.progressed', 'stateKept as text', { target: dialogue, details: { turn: 1, stateKept: 'yes' } }],
    ['dialogue.progressed', 'no turn', { target: dialogue, details: { stateKept: false } }],
    ['dialogue.resolved', 'an unknown result', { target: dialogue, details: { result: 'win', reason: 'goal', turns: 3 } }],
    ['dialogue.resolved', 'an unknown reason', { target: dialogue, details: { result: 'success', reason: 'bored', turns: 3 } }],
    ['dialogue.resolved', 'no turns', { target: dialogue, details: { result: 'success', reason: 'goal' } }],
  ] as const)('publishes nothing for %s with %s, rather than invent facts', (action, _what, fields) => {
    expect(eventOfAuditRecord(entry(action, fields as Partial<AuditRecord>))).toBeUndefined();
  });
});
