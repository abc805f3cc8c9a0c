import { describe, expect, it } from 'vitest';
import { PermissionError } from '../../../lambdas/domain/errors';
import { assertCanBan, assertOwner } from '../../../lambdas/domain/permissions';
import { requestSchemas } from '../../../lambdas/domain/protocol';
import { applySettings, sharesMessageTextInEvents, sharesTextPostedAt, showsPreview, stampTextSharing } from '../../../lambdas/domain/room-settings';
import type { Membership, Role, Room } from '../../../lambdas/domain/types';

const room: Room = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u1', createdAt: '2026-11-02T10:00:00.000Z' };
const member = (userId: string, role: Role): Membership => ({ roomId: 'r1', userId, displayName: userId, role, joinedAt: '' });

describe('applySettings', () => {
  it('applies what differs and names it', () => {
    const { room: next, changed } = applySettings({ ...room, topic: 'old' }, { name: 'Hall', topic: 'old', visibility: 'private' });

    expect(changed).toEqual(['name', 'visibility']);
    expect(next).toEqual({ ...room, name: 'Hall', topic: 'old', visibility: 'private' });
  });

  it('clears a topic given blank or invisible, and counts the default preview as current', () => {
    const { room: next, changed } = applySettings({ ...room, topic: 'old' }, { topic: '\u200b', preview: true });

    expect(changed).toEqual(['topic']);
    expect(next).not.toHaveProperty('topic');
  });

  it('shares message text in events only once the owner opts in, counting the default as off', () => {
    expect(applySettings(room, { shareMessageTextInEvents: false }).changed).toEqual([]);
    const { room: next, changed } = applySettings(room, { shareMessageTextInEvents: true });

    expect(changed).toEqual(['shareMessageTextInEvents']);
    expect(sharesMessageTextInEvents(next)).toBe(true);
    expect(sharesMessageTextInEvents(room)).toBe(false);
  });

  it('shares the text of messages posted since the owner opted in, and of none once opted out', () => {
    const sharing = stampTextSharing({ ...room, shareMessageTextInEvents: true }, '2026-11-03T10:00:00.000Z');

    expect(sharesTextPostedAt(sharing, '2026-11-03T10:00:00.000Z')).toBe(true);
    expect(sharesTextPostedAt(sharing, '2026-11-03T09:59:59.999Z')).toBe(false);
    const stopped = stampTextSharing({ ...sharing, shareMessageTextInEvents: false }, '2026-11-04T10:00:00.000Z');
    expect(stopped).not.toHaveProperty('shareMessageTextInEventsSince');
    expect(sharesTextPostedAt(stopped, '2026-11-03T11:00:00.000Z')).toBe(false);
  });
});

describe('showsPreview', () => {
  it('shows public rooms unless turned off, and never private ones', () => {
    expect(showsPreview(room)).toBe(true);
    expect(showsPreview({ ...room, preview: false })).toBe(false);
    expect(showsPreview({ ...room, visibility: 'private', preview: true })).toBe(false);
  });
});

describe('room permissions', () => {
  it('lets only the owner change the room', () => {
    expect(() => assertOwner(member('u1', 'owner'), 'delete the room')).not.toThrow();
    expect(() => assertOwner(member('u2', 'moderator'), 'delete the room')).toThrow('Only the room owner can delete the room.');
  });

  it('lets moderators ban lower roles and non-members, never the owner, a moderator or themselves', () => {
    const moderator = member('m', 'moderator');

    expect(() => assertCanBan(moderator, 'x', undefined)).not.toThrow();
    expect(() => assertCanBan(moderator, 'u', member('u', 'member'))).not.toThrow();
    expect(() => assertCanBan(moderator, 'o', member('o', 'owner'))).toThrow(PermissionError);
    expect(() => assertCanBan(moderator, 'm2', member('m2', 'moderator'))).toThrow(PermissionError);
    expect(() => assertCanBan(moderator, 'm', moderator)).toThrow(/yourself/);
    expect(() => assertCanBan(member('u', 'member'), 'x', undefined)).toThrow(PermissionError);
  });
});

describe('room administration requests', () => {
  it('bounds names and topics and refuses odd Unicode', () => {
    const parse = (body: object) => requestSchemas.updateRoom.safeParse({ roomId: 'r1', ...body }).success;

    expect(parse({ name: 'Hall', topic: '' })).toBe(true);
    expect(parse({ name: '   ' })).toBe(false);
    expect(parse({ name: 'x'.repeat(101) })).toBe(false);
    expect(parse({ topic: 'x'.repeat(301) })).toBe(false);
    expect(parse({ name: 'bad \ud800' })).toBe(false);
    expect(parse({ visibility: 'secret' })).toBe(false);
  });

  it('needs something visible to search for', () => {
    expect(requestSchemas.searchRooms.safeParse({ query: '\u200b' }).success).toBe(false);
    expect(requestSchemas.searchRooms.parse({ query: ' lob ' })).toEqual({ query: 'lob', limit: 20 });
  });
});
