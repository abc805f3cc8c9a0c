import { canManageMembers, canPost, outranks } from '../../lambdas/domain/permissions';
import { ROLES } from '../../lambdas/domain/types';
import { t } from './i18n';
import type { ChatMessage, ModeratorAction, Role } from './protocol';
import type { LiveReply, PendingMessage, TimelineItem } from './timeline';

/**
 * What a row of the timeline shows, decided without the DOM. Text is only
 * ever rendered as text (textContent), never as markup. A message that
 * moderation withheld from the room reaches only its sender and the room's
 * moderators; they see it flagged and folded until they choose to read it.
 */
export interface MessageView {
  readonly author: string;
  readonly senderType: 'human' | 'agent' | 'system' | 'integration';
  /** "Agent" / "System" label beside the name; empty for people. */
  readonly senderLabel: string;
  readonly time: string;
  readonly datetime: string;
  readonly text: string;
  /** Why the text is folded away until asked for; absent when it shows at once. */
  readonly concealed?: string;
  /** Short states beside the message: redacted, hidden, checking, incomplete, sending, not sent… */
  readonly badges: readonly string[];
  readonly mine: boolean;
  /** True while an agent reply is still arriving. */
  readonly streaming: boolean;
  readonly failed?: { readonly error: string; readonly clientMessageId: string; readonly retryable: boolean };
  /** What the viewer, a moderator, may do to the message. */
  readonly actions: readonly ModeratorAction[];
}

/** Who is looking, as moderation rules need it. */
export interface Viewer {
  readonly userId: string;
  readonly moderator: boolean;
}

/** The label beside a sender's name, in the language in use; none for people. */
const senderLabel = (type: MessageView['senderType']): string =>
  type === 'agent'
    ? t().timeline.agent
    : type === 'system'
      ? t().present.system
      : type === 'integration'
        ? t().present.integration
        : '';

/** Short local time; the date too when not today. */
export function formatTime(iso: string, now: Date, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) };
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(d);
  if (day(date) !== day(now)) Object.assign(options, { day: 'numeric', month: 'short' });
  return new Intl.DateTimeFormat(locale, options).format(date);
}

const withheldNote = (what: string, mine: boolean) => (mine ? t().present.withheldMine(what) : t().present.withheld(what));

export function presentMessage(message: ChatMessage, viewer: Viewer, now: Date, locale?: string, timeZone?: string): MessageView {
  const senderType = message.senderType ?? 'human';
  const mine = message.senderId === viewer.userId;
  const badges: string[] = [];
  let concealed: string | undefined;
  switch (message.moderation) {
    case 'pending':
      badges.push('checking');
      break;
    case 'redacted':
      badges.push('redacted');
      break;
    case 'quarantined':
      badges.push('held for review');
      concealed = withheldNote(t().present.heldForReview, mine);
      break;
    case 'blocked':
      badges.push('blocked');
      concealed = withheldNote(t().present.blocked, mine);
      break;
    default:
      break;
  }
  if (message.hidden !== undefined) {
    badges.push('hidden');
    concealed ??= withheldNote(t().present.hidden, mine);
  }
  if (message.incomplete) badges.push('incomplete');
  if (message.agent?.stopped) badges.push('stopped');

  const actions: ModeratorAction[] = [];
  if (viewer.moderator && message.moderation !== 'pending') {
    if (message.moderation === 'quarantined') actions.push('releaseMessage');
    actions.push(message.hidden === undefined ? 'hideMessage' : 'unhideMessage', 'deleteMessage');
  }
  return {
    author: message.senderName || message.senderId,
    senderType,
    senderLabel: senderLabel(senderType),
    time: formatTime(message.createdAt, now, locale, timeZone),
    datetime: message.createdAt,
    text: message.text,
    ...(concealed === undefined ? {} : { concealed }),
    badges,
    mine,
    streaming: false,
    actions,
  };
}

export function presentReply(reply: LiveReply): MessageView {
  return {
    author: reply.agent,
    senderType: 'agent',
    senderLabel: senderLabel('agent'),
    time: '',
    datetime: '',
    text: reply.text,
    badges: ['typing'],
    mine: false,
    streaming: true,
    actions: [],
  };
}

export function presentPending(pending: PendingMessage, now: Date, locale?: string, timeZone?: string): MessageView {
  return {
    author: pending.senderName,
    senderType: 'human',
    senderLabel: '',
    time: formatTime(pending.createdAt, now, locale, timeZone),
    datetime: pending.createdAt,
    text: pending.text,
    badges: [pending.state === 'failed' ? 'not sent' : 'sending'],
    mine: true,
    streaming: false,
    actions: [],
    ...(pending.state === 'failed'
      ? { failed: { error: pending.error ?? t().present.notSent, clientMessageId: pending.clientMessageId, retryable: pending.retryable === true } }
      : {}),
  };
}

export function presentItem(item: TimelineItem, viewer: Viewer, now: Date): MessageView {
  switch (item.kind) {
    case 'message':
      return presentMessage(item.message, viewer, now);
    case 'reply':
      return presentReply(item.reply);
    case 'pending':
      return presentPending(item.pending, now);
  }
}

/** What a role may do in the client's UI: the domain's own rules, which Parley enforces. */
export const roleAbilities = (role: Role | undefined) => ({
  canPost: role !== undefined && canPost(role),
  canManage: role !== undefined && canManageMembers(role),
  canLeave: role !== undefined && role !== 'owner',
});

/** The roles `actor` may hand out (invitations included): below its own; an owner, anything but owner. */
export function invitableRoles(actor: Role | undefined): Array<Exclude<Role, 'owner'>> {
  if (actor === undefined || !canManageMembers(actor)) return [];
  return ROLES.filter((role): role is Exclude<Role, 'owner'> => role !== 'owner' && (actor === 'owner' || outranks(actor, role)));
}

/** The roles `actor` may give `target`: none unless it outranks them (and never to itself). */
export const grantableRoles = (actor: Role | undefined, target: Role, self: boolean): Role[] =>
  actor === undefined || self || !outranks(actor, target) ? [] : invitableRoles(actor);
