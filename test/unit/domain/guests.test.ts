import { describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../../lambdas/domain/errors';
import {
  assertGuestMay,
  assertGuestMayPost,
  guestAccessOf,
  guestDisplayName,
  guestName,
  isGuestId,
} from '../../../lambdas/domain/guests';
import { applySettings } from '../../../lambdas/domain/room-settings';
import type { Room } from '../../../lambdas/domain/types';

const room = (extra: Partial<Room> = {}): Room => ({
  roomId: 'r1',
  name: 'Lobby',
  visibility: 'public',
  ownerId: 'u-alice',
  createdAt: '2026-11-21T12:00:00.000Z',
  ...extra,
});

describe('guestAccessOf', () => {
  it('is off unless the room says otherwise', () => {
    expect(guestAccessOf(room())).toBe('off');
    expect(guestAccessOf(room({ guestAccess: 'post' }))).toBe('post');
  });

  it('is off for a private or deleted room, whatever is stored', () => {
    expect(guestAccessOf(room({ visibility: 'private', guestAccess: 'post' }))).toBe('off');
    expect(guestAccessOf(room({ deletedAt: '2026-11-22T00:00:00.000Z', guestAccess: 'read' }))).toBe('off');
  });
});

describe('assertGuestMay', () => {
  it('lets a guest read and post in its own room', () => {
    expect(() => assertGuestMay('r1', 'getHistory', 'r1')).not.toThrow();
    expect(() => assertGuestMay('r1', 'sendMessage', 'r1')).not.toThrow();
    expect(() => assertGuestMay('r1', 'ping', undefined)).not.toThrow();
  });

  it('refuses another room', () => {
    expect(() => assertGuestMay('r1', 'getHistory', 'r2')).toThrow(PermissionError);
  });

  it('refuses every action guests do not have, saying so', () => {
    for (const action of ['createRoom', 'joinRoom', 'updateProfile', 'updateRoom', 'listRooms', 'findUsers', 'hideMessage']) {
      expect(() => assertGuestMay('r1', action, 'r1')).toThrow(/Guests cannot use/);
    }
  });
});

describe('assertGuestMayPost', () => {
  it('allows posting only while the room says post', () => {
    expect(() => assertGuestMayPost(room({ guestAccess: 'post' }))).not.toThrow();
    expect(() => assertGuestMayPost(room({ guestAccess: 'read' }))).toThrow(PermissionError);
    expect(() => assertGuestMayPost(room())).toThrow(PermissionError);
  });
});

describe('guest names', () => {
  it('marks a guest’s name to everyone else', () => {
    expect(guestDisplayName(' Ada ')).toBe('Ada (guest)');
  });

  it('refuses an empty, overlong or invisible-character name', () => {
    expect(() => guestName('   ')).toThrow(ValidationError);
    expect(() => guestName('x'.repeat(41))).toThrow(ValidationError);
    expect(() => guestName('Ada\u202e')).toThrow(ValidationError);
    expect(guestName('  Ada Lovelace ')).toBe('Ada Lovelace');
  });

  it('tells guest ids apart', () => {
    expect(isGuestId('guest-abc')).toBe(true);
    expect(isGuestId('u-alice')).toBe(false);
  });
});

describe('applySettings with guestAccess', () => {
  it('changes guest access of a public room', () => {
    const { room: next, changed } = applySettings(room(), { guestAccess: 'post' });

    expect(next.guestAccess).toBe('post');
    expect(changed).toEqual(['guestAccess']);
  });

  it('changes nothing when the value is the current one (off by default)', () => {
    expect(applySettings(room(), { guestAccess: 'off' }).changed).toEqual([]);
  });

  it('refuses to let guests into a private room, or one the same change makes private', () => {
    expect(() => applySettings(room({ visibility: 'private' }), { guestAccess: 'read' })).toThrow(ValidationError);
    expect(() => applySettings(room(), { visibility: 'private', guestAccess: 'post' })).toThrow(/Only a public room/);
  });

  it('turns guest access off when the room becomes private', () => {
    const { room: next, changed } = applySettings(room({ guestAccess: 'post' }), { visibility: 'private' });

    expect(next.guestAccess).toBe('off');
    expect(changed).toEqual(['visibility', 'guestAccess']);
  });
});
