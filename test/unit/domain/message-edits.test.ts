import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError } from '../../../lambdas/domain/errors';
import type { ModeratedMessage } from '../../../lambdas/domain/message';
import { assertCanDelete, assertCanEdit, DEFAULT_EDIT_WINDOW_SECONDS } from '../../../lambdas/domain/message-edits';
import type { Membership } from '../../../lambdas/domain/types';

const sentAt = Date.parse('2026-12-01T10:00:00.000Z');
const message: ModeratedMessage = {
  roomId: 'r1',
  messageId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  senderId: 'u-alice',
  senderName: 'Alice',
  senderType: 'human',
  text: 'hello',
  createdAt: new Date(sentAt).toISOString(),
  moderation: 'allowed',
};
const member = (userId: string, role: Membership['role'] = 'member'): Membership => ({
  roomId: 'r1',
  userId,
  displayName: userId,
  role,
  joinedAt: '',
});

describe('assertCanEdit', () => {
  it('lets the sender edit a readable message within the window', () => {
    expect(() => assertCanEdit(message, 'u-alice', sentAt + DEFAULT_EDIT_WINDOW_SECONDS * 1000, DEFAULT_EDIT_WINDOW_SECONDS)).not.toThrow();
  });

  it('refuses a message that does not exist', () => {
    expect(() => assertCanEdit(undefined, 'u-alice', sentAt, 60)).toThrow(NotFoundError);
  });

  it('refuses anyone but the sender, moderators included', () => {
    expect(() => assertCanEdit(message, 'u-bob', sentAt, 60)).toThrow(PermissionError);
  });

  it('refuses once the window has passed', () => {
    expect(() => assertCanEdit(message, 'u-alice', sentAt + 60_001, 60)).toThrow(ConflictError);
  });

  it.each([
    ['quarantined', { moderation: 'quarantined' as const }],
    ['blocked', { moderation: 'blocked' as const }],
    ['hidden', { hidden: { by: 'u-mod', at: '' } }],
  ])('refuses a %s message, which keeps its text until a moderator acts', (_, patch) => {
    expect(() => assertCanEdit({ ...message, ...patch }, 'u-alice', sentAt, 60)).toThrow(ConflictError);
  });
});

describe('assertCanDelete', () => {
  it('lets the sender delete their own message in any state', () => {
    expect(() => assertCanDelete({ ...message, moderation: 'quarantined' }, member('u-alice'))).not.toThrow();
  });

  it('lets a moderator delete anyone’s message', () => {
    expect(() => assertCanDelete(message, member('u-mod', 'moderator'))).not.toThrow();
  });

  it('refuses another member', () => {
    expect(() => assertCanDelete(message, member('u-bob'))).toThrow(PermissionError);
  });
});
