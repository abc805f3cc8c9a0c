import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../lambdas/domain/audit';
import { domainEventSchema } from '../../../../lambdas/domain/events/domain-events';
import { eventOfAuditRecord } from '../../../../lambdas/domain/events/from-audit';

const dialogueId = '01JZ3KB1S8P6N4M2J0H8G6E4C2';
const entry = (action: AuditRecord['action'], details: AuditRecord['details'], actor = { type: 'user' as const, id: 'u-bob' }): AuditRecord => ({
  entryId: '0123456789abcdef0123456789',
  roomId: 'r-1',
  idempotencyKey: `${action}:1`,
  occurredAt: '2026-12-07T10:00:00.000Z',
  actor,
  action,
  target: { type: 'dialogue', id: dialogueId },
  ...(details ? { details } : {}),
});

describe('a dialogue’s audit entries as domain events', () => {
  it.each([
    ['dialogue.initiated', { scenarioId: 'rent-negotiation' }, { dialogueId, scenarioId: 'rent-negotiation' }],
    ['dialogue.progressed', { turn: 2, stateKept: true }, { dialogueId, turn: 2, stateKept: true }],
    ['dialogue.resolved', { result: 'success', reason: 'goal', turns: 3 }, { dialogueId, result: 'success', reason: 'goal', turns: 3 }],
  ] as const)('publishes %s with the details its use case records, valid under its schema', (action, details, data) => {
    const event = eventOfAuditRecord(entry(action, details));

    expect(event).toMatchObject({ type: action, roomId: 'r-1', actor: { type: 'user', id: 'u-bob' }, data });
    expect(domainEventSchema(action).safeParse(event).success).toBe(true);
  });

  it('publishes nothing for an entry missing what the event needs', () => {
    expect(eventOfAuditRecord(entry('dialogue.initiated', {}))).toBeUndefined();
    expect(eventOfAuditRecord(entry('dialogue.resolved', { turns: 1 }))).toBeUndefined();
  });
});
