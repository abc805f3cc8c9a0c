import { describe, expect, it } from 'vitest';
import type { Room } from '../../../lambdas/domain/types';
import { settingsChange } from '../../../web/src/room-admin';

/** The room settings form's guest access select (docs/widget.md). */
describe('settingsChange with guest access', () => {
  const lobby: Room = { roomId: 'r1', name: 'Lobby', visibility: 'public', ownerId: 'u-alice', createdAt: '' };
  const form = { name: 'Lobby', topic: '', visibility: 'public' as const, preview: true, shareMessageTextInEvents: false };

  it('sends guestAccess only when the select changed it (absent on the room means off)', () => {
    expect(settingsChange(lobby, { ...form, guestAccess: 'off' })).toEqual({});
    expect(settingsChange(lobby, { ...form, guestAccess: 'post' })).toEqual({ guestAccess: 'post' });
    expect(settingsChange({ ...lobby, guestAccess: 'post' }, { ...form, guestAccess: 'read' })).toEqual({ guestAccess: 'read' });
  });

  it('leaves guest access alone when the form does not offer it', () => {
    expect(settingsChange({ ...lobby, guestAccess: 'post' }, form)).toEqual({});
  });
});
