import { describe, expect, it } from 'vitest';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { deliverChange, type Before } from '../../../../lambdas/use-cases/moderation/deliver-change';
import { moderationWorld, pendingMessage, ROOM } from '../../../support/fakes/moderation';

const USERS = ['olga', 'mo', 'sam', 'mia'] as const;
const allowed = (patch: Partial<ModeratedMessage> = {}) => pendingMessage('hello', { moderation: 'allowed', ...patch });

/** The frame types each user's connection received, e.g. `{ olga: ['message'], mia: [] }`. */
async function framesAfter(before: (m: ModeratedMessage) => Before, after: (m: ModeratedMessage) => ModeratedMessage | undefined, base = allowed()) {
  const world = await moderationWorld();
  const report = await deliverChange(world.deps, before(base), after(base), ROOM, base.messageId);
  const types = Object.fromEntries(USERS.map((userId) => [userId, world.framesOf(userId).map((f) => f['type'])]));
  return { types, report };
}

describe('deliverChange', () => {
  it('sends a new public message to everyone', async () => {
    const { types, report } = await framesAfter(() => undefined, (m) => m);

    expect(types).toEqual({ olga: ['message'], mo: ['message'], sam: ['message'], mia: ['message'] });
    expect(report).toEqual({ recipients: 4, delivered: 4, gone: 0, failed: 0, failures: [] });
  });

  it('sends a new quarantined message to its sender and the moderators only', async () => {
    const { types } = await framesAfter(() => undefined, (m) => ({ ...m, moderation: 'quarantined' }));

    expect(types).toEqual({ olga: ['message'], mo: ['message'], sam: ['message'], mia: [] });
  });

  it("updates a person's pending message for its sender and shows it to the others", async () => {
    const pending = pendingMessage('hello');
    const { types } = await framesAfter((m) => m, (m) => ({ ...m, moderation: 'allowed' }), pending);

    expect(types).toEqual({ olga: ['message'], mo: ['message'], sam: ['messageUpdated'], mia: ['message'] });
  });

  it("withdraws an agent's streamed reply from plain members when it is quarantined", async () => {
    const reply = pendingMessage('hello', { senderId: 'agent#bot', senderType: 'agent' });
    const { types } = await framesAfter(() => 'everyone', (m) => ({ ...m, moderation: 'quarantined' }), reply);

    expect(types).toEqual({ olga: ['messageUpdated'], mo: ['messageUpdated'], sam: ['messageRemoved'], mia: ['messageRemoved'] });
  });

  it('removes a hidden message for plain members and updates it for its sender and the moderators', async () => {
    const { types } = await framesAfter((m) => m, (m) => ({ ...m, hidden: { by: 'mo', at: '2026-11-21T12:01:00.000Z' } }));

    expect(types).toEqual({ olga: ['messageUpdated'], mo: ['messageUpdated'], sam: ['messageUpdated'], mia: ['messageRemoved'] });
  });

  it('tells only those who saw a deleted quarantined message that it is gone', async () => {
    const { types } = await framesAfter((m) => m, () => undefined, allowed({ moderation: 'quarantined' }));

    expect(types).toEqual({ olga: ['messageRemoved'], mo: ['messageRemoved'], sam: ['messageRemoved'], mia: [] });
  });

  it('reports the failed posts of every audience together', async () => {
    const world = await moderationWorld();
    world.gateway.failing.add('c-mia');
    world.gateway.failing.add('c-mo');
    const message = allowed();

    const report = await deliverChange(world.deps, message, { ...message, hidden: { by: 'mo', at: message.createdAt } }, ROOM, message.messageId);

    expect(report).toMatchObject({ recipients: 4, delivered: 2, failed: 2 });
    expect(report.failures.map((f) => f.connectionId).sort()).toEqual(['c-mia', 'c-mo']);
  });
});
