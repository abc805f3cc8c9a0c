import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_REPORTED_FAILURES, mergeReports } from '../../../../lambdas/domain/delivery';
import type { Frame } from '../../../../lambdas/domain/protocol';
import { deliverToRecipients } from '../../../../lambdas/use-cases/delivery/deliver-to-recipients';
import { deliverToRoom } from '../../../../lambdas/use-cases/delivery/deliver-to-room';
import { deliverToUser } from '../../../../lambdas/use-cases/delivery/deliver-to-user';
import { deliverToViewers } from '../../../../lambdas/use-cases/delivery/deliver-to-viewers';
import { FakeConnections, FakeGateway, FakeRooms } from '../../../support/fakes/chat';

const ROOM = 'r1';
const frame: Frame = { type: 'roomEvent', roomId: ROOM, event: { kind: 'memberLeft', userId: 'carol' } };
const at = '2026-11-21T12:00:00.000Z';

let connections: FakeConnections;
let gateway: FakeGateway;
let rooms: FakeRooms;

/** Live connections subscribed to the room, named `c-<userId>`. */
async function connect(...userIds: string[]) {
  for (const userId of userIds) {
    await connections.saveConnection({ connectionId: `c-${userId}`, userId, displayName: userId, connectedAt: at }, [ROOM]);
  }
}

beforeEach(() => {
  connections = new FakeConnections();
  gateway = new FakeGateway();
  rooms = new FakeRooms();
});

describe('deliverToRecipients', () => {
  it('posts the frame to each given connection only', async () => {
    await connect('alice', 'bob');

    const report = await deliverToRecipients({ connections, gateway }, [{ connectionId: 'c-bob' }], frame);

    expect(report).toEqual({ recipients: 1, delivered: 1, gone: 0, failed: 0, failures: [] });
    expect(gateway.posts).toEqual([{ connectionId: 'c-bob', frame }]);
  });

  it('reports a rejected post with its connection, HTTP status and error name', async () => {
    gateway.failing.add('c-bob');

    const report = await deliverToRecipients({ connections, gateway }, [{ connectionId: 'c-alice' }, { connectionId: 'c-bob' }], frame);

    expect(report).toEqual({
      recipients: 2,
      delivered: 1,
      gone: 0,
      failed: 1,
      failures: [{ connectionId: 'c-bob', status: 429, error: 'LimitExceededException' }],
    });
    expect(connections.removed).toEqual([]);
  });

  it('reports an error without a status by its name alone', async () => {
    const failing = { post: async () => Promise.reject(new TypeError('fetch failed')) };

    const report = await deliverToRecipients({ connections, gateway: failing }, [{ connectionId: 'c-alice' }], frame);

    expect(report.failures).toEqual([{ connectionId: 'c-alice', error: 'TypeError' }]);
  });

  it('removes a gone connection and does not count it as a failure', async () => {
    await connect('alice', 'bob');
    gateway.gone.add('c-bob');

    const report = await deliverToRecipients({ connections, gateway }, [{ connectionId: 'c-alice' }, { connectionId: 'c-bob' }], frame);

    expect(report).toEqual({ recipients: 2, delivered: 1, gone: 1, failed: 0, failures: [] });
    expect(connections.removed).toEqual(['c-bob']);
  });

  it('keeps a connection refused while it may still be in its $connect, and removes it once older', async () => {
    // Opened 10 s before "now": API Gateway refuses posts to it until its $connect returns.
    const opened = Date.parse(at);
    await connect('bob');
    gateway.gone.add('c-bob');
    const clockAt = (ms: number) => ({ now: () => ms });

    const young = await deliverToRecipients({ connections, gateway, clock: clockAt(opened + 10_000) }, [{ connectionId: 'c-bob' }], frame);

    expect(young.gone).toBe(1);
    expect(connections.removed).toEqual([]);
    expect(await connections.listRoomConnections(ROOM)).toEqual([{ connectionId: 'c-bob', userId: 'bob' }]);

    await deliverToRecipients({ connections, gateway, clock: clockAt(opened + 31_000) }, [{ connectionId: 'c-bob' }], frame);

    expect(connections.removed).toEqual(['c-bob']);
  });

  it('keeps the first failures only, and counts them all', async () => {
    const recipients = Array.from({ length: 1000 }, (_, i) => ({ connectionId: `c-${i}` }));
    for (const { connectionId } of recipients) gateway.failing.add(connectionId);

    const report = await deliverToRecipients({ connections, gateway }, recipients, frame);

    expect(report.failed).toBe(1000);
    expect(report.failures).toHaveLength(MAX_REPORTED_FAILURES);
    expect(report.failures[0]).toEqual({ connectionId: 'c-0', status: 429, error: 'LimitExceededException' });
  });
});

describe('deliverToUser', () => {
  it('posts the frame to every connection of the user, whatever rooms they receive, and to nobody else', async () => {
    await connect('alice', 'bob');
    await connections.saveConnection({ connectionId: 'c-alice-phone', userId: 'alice', displayName: 'alice', connectedAt: at }, []);

    const report = await deliverToUser({ connections, gateway }, 'alice', frame);

    expect(report).toMatchObject({ recipients: 2, delivered: 2, failed: 0 });
    expect(gateway.posts.map((p) => p.connectionId).sort()).toEqual(['c-alice', 'c-alice-phone']);
  });
});

describe('deliverToRoom', () => {
  it("lists the room's connections and delivers to each, reporting failures and gone ones apart", async () => {
    await connect('alice', 'bob', 'carol');
    gateway.gone.add('c-bob');
    gateway.failing.add('c-carol');

    const report = await deliverToRoom({ connections, gateway }, ROOM, frame);

    expect(report).toEqual({
      recipients: 3,
      delivered: 1,
      gone: 1,
      failed: 1,
      failures: [{ connectionId: 'c-carol', status: 429, error: 'LimitExceededException' }],
    });
    expect(gateway.framesFor('c-alice')).toEqual([frame]);
    expect(connections.removed).toEqual(['c-bob']);
  });
});

describe('deliverToViewers', () => {
  const secret: Frame = { type: 'messageRemoved', roomId: ROOM, messageId: 'm1' };

  it('sends each audience its frame, knowing who moderates the room', async () => {
    await connect('olga', 'mia');
    await rooms.putMembership({ roomId: ROOM, userId: 'olga', displayName: 'Olga', role: 'owner', joinedAt: at });
    await rooms.putMembership({ roomId: ROOM, userId: 'mia', displayName: 'Mia', role: 'member', joinedAt: at });

    const report = await deliverToViewers({ connections, gateway, rooms }, ROOM, {
      frames: { all: frame, moderators: secret },
      audienceOf: (viewer) => (viewer.moderator ? 'moderators' : 'all'),
      needsModerators: true,
    });

    expect(report).toMatchObject({ recipients: 2, delivered: 2, failed: 0 });
    expect(gateway.framesFor('c-olga')).toEqual([secret]);
    expect(gateway.framesFor('c-mia')).toEqual([frame]);
  });

  it("skips viewers without an audience, reads no members unless asked, and merges the audiences' reports", async () => {
    await connect('alice', 'bob', 'carol');
    gateway.failing.add('c-bob');
    const unread = Object.assign(new FakeRooms(), {
      listMembers: () => Promise.reject(new Error('the members are not needed')),
    });

    const report = await deliverToViewers({ connections, gateway, rooms: unread }, ROOM, {
      frames: { first: frame, second: secret },
      audienceOf: (viewer) => (viewer.userId === 'alice' ? 'first' : viewer.userId === 'bob' ? 'second' : undefined),
      needsModerators: false,
    });

    expect(report).toEqual({
      recipients: 2,
      delivered: 1,
      gone: 0,
      failed: 1,
      failures: [{ connectionId: 'c-bob', status: 429, error: 'LimitExceededException' }],
    });
    expect(gateway.framesFor('c-carol')).toEqual([]);
  });
});

describe('mergeReports', () => {
  it('adds the counts and keeps the failures bounded', async () => {
    const failure = (i: number) => ({ connectionId: `c-${i}`, error: 'ForbiddenException', status: 403 });
    const half = MAX_REPORTED_FAILURES - 2;
    const one = { recipients: half, delivered: 0, gone: 0, failed: half, failures: Array.from({ length: half }, (_, i) => failure(i)) };
    const two = { recipients: 5, delivered: 0, gone: 1, failed: 4, failures: [100, 101, 102, 103].map(failure) };

    const merged = mergeReports([one, two]);

    expect(merged).toMatchObject({ recipients: half + 5, delivered: 0, gone: 1, failed: half + 4 });
    expect(merged.failures.map((f) => f.connectionId)).toEqual([...one.failures.map((f) => f.connectionId), 'c-100', 'c-101']);
  });
});
