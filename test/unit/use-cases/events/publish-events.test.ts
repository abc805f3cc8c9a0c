import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../../lambdas/domain/audit';
import type { ModeratedMessage } from '../../../../lambdas/domain/message';
import { publishEvents } from '../../../../lambdas/use-cases/events/publish-events';
import { FakeEventPublisher, FakeEventRooms } from '../../../support/fakes/events';

const audit = (entryId: string, fields: Partial<AuditRecord>): AuditRecord => ({
  entryId,
  roomId: 'r-1',
  idempotencyKey: entryId,
  occurredAt: '2026-12-06T10:00:00.000Z',
  actor: { type: 'user', id: 'u-alice' },
  action: 'room.deleted',
  ...fields,
});
const message = (messageId: string, roomId = 'r-1'): ModeratedMessage => ({
  roomId,
  messageId,
  senderId: 'u-bob',
  senderName: 'Bob',
  senderType: 'human',
  text: 'hello',
  createdAt: '2026-12-06T10:00:00.000Z',
  moderation: 'allowed',
});

describe('publishEvents', () => {
  let deps: { publisher: FakeEventPublisher; rooms: FakeEventRooms };

  beforeEach(() => {
    deps = { publisher: new FakeEventPublisher(), rooms: new FakeEventRooms() };
    deps.rooms.rooms.set('r-1', { roomId: 'r-1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '2026-12-06T09:00:00.000Z', shareMessageTextInEvents: true, shareMessageTextInEventsSince: '2026-12-06T09:00:00.000Z' });
    deps.rooms.rooms.set('r-2', { roomId: 'r-2', name: 'Quiet', visibility: 'private', ownerId: 'u-alice', createdAt: '2026-12-06T09:00:00.000Z' });
  });

  it('publishes a batch’s events in one call, reading its rooms once', async () => {
    const { published, failedKeys } = await publishEvents(deps, [
      { key: '1', posted: message('m-1') },
      { key: '2', posted: message('m-2', 'r-2') },
      { key: '3', posted: message('m-3') },
      { key: '4', audit: audit('e-1', { action: 'room.created', details: { visibility: 'public' } }) },
    ]);
    expect(failedKeys).toEqual([]);
    expect(published.map((event) => event.id)).toEqual(['m-1', 'm-2', 'm-3', 'e-1']);
    expect(deps.publisher.calls).toBe(1);
    expect(deps.rooms.reads).toEqual([['r-1', 'r-2']]);
  });

  it('includes text only for the rooms that opt in', async () => {
    await publishEvents(deps, [{ key: '1', posted: message('m-1') }, { key: '2', posted: message('m-2', 'r-2') }]);
    expect(deps.publisher.published.map((event) => 'text' in event.data)).toEqual([true, false]);
  });

  it('reads no room for entries that need none, and publishes nothing for entries that are not events', async () => {
    const { published } = await publishEvents(deps, [
      { key: '1', audit: audit('e-1', { action: 'member.invited' }) },
      { key: '2', audit: audit('e-2', { action: 'message.edited' }) },
    ]);
    expect(published).toEqual([]);
    expect(deps.publisher.calls).toBe(0);
    expect(deps.rooms.reads).toEqual([]);
  });

  it('returns the keys of the records whose events the bus refused', async () => {
    deps.publisher.refuse.add('m-2');
    const { published, failedKeys } = await publishEvents(deps, [
      { key: '1', posted: message('m-1') },
      { key: '2', posted: message('m-2') },
    ]);
    expect(failedKeys).toEqual(['2']);
    expect(published.map((event) => event.id)).toEqual(['m-1']);
  });

  it('refuses to publish an event that breaks its schema', async () => {
    const broken = audit('e-1', { action: 'room.deleted', occurredAt: 'not a time' });
    await expect(publishEvents(deps, [{ key: '1', audit: broken }])).rejects.toThrow(/does not match its schema/);
    expect(deps.publisher.calls).toBe(0);
  });
});
