import { canManageMembers, canPost, outranks } from '../../lambdas/domain/permissions';
import { ROLES } from '../../lambdas/domain/types';
import type { ChatMessage, Role } from './protocol';
import type { LiveReply, PendingMessage, TimelineItem } from './timeline';

/**
 * What a row of the timeline shows, decided without the DOM. Text is only
 * ever rendered as text (textContent), never as markup; hidden messages
 * carry no text at all, so it cannot leak into the page.
 */
export interface MessageView {
  readonly author: string;
  readonly senderType: 'human' | 'agent' | 'system';
  /** "Agent" / "System" label beside the name; empty for people. */
  readonly senderLabel: string;
  readonly time: string;
  readonly datetime: string;
  /** The text to show, or undefined when moderation hides it. */
  readonly text: string | undefined;
  /** Shown in place of hidden text. */
  readonly placeholder?: string;
  /** Short states beside the message: redacted, hidden, checking, incomplete, sending, not sent. */
  readonly badges: readonly string[];
  readonly mine: boolean;
  /** True while an agent reply is still arriving. */
  readonly streaming: boolean;
  readonly failed?: { readonly error: string; readonly clientMessageId: string };
}

const SENDER_LABEL = { human: '', agent: 'Agent', system: 'System' } as const;

/** Short local time; the date too when not today. */
export function formatTime(iso: string, now: Date, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) };
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(d);
  if (day(date) !== day(now)) Object.assign(options, { day: 'numeric', month: 'short' });
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export function presentMessage(message: ChatMessage, me: string, now: Date, locale?: string, timeZone?: string): MessageView {
  const senderType = message.senderType ?? 'human';
  const badges: string[] = [];
  let text: string | undefined = message.text;
  let placeholder: string | undefined;
  switch (message.moderation) {
    case 'pending':
      badges.push('checking');
      break;
    case 'redacted':
      badges.push('redacted');
      break;
    case 'quarantined':
    case 'blocked':
      text = undefined;
      placeholder =
        message.senderId === me ? 'Your message was hidden by moderation.' : 'This message was hidden by moderation.';
      badges.push('hidden');
      break;
    default:
      break;
  }
  if (message.incomplete) badges.push('incomplete');
  return {
    author: message.senderName || message.senderId,
    senderType,
    senderLabel: SENDER_LABEL[senderType] ?? '',
    time: formatTime(message.createdAt, now, locale, timeZone),
    datetime: message.createdAt,
    text,
    ...(placeholder === undefined ? {} : { placeholder }),
    badges,
    mine: message.senderId === me,
    streaming: false,
  };
}

export function presentReply(reply: LiveReply): MessageView {
  return {
    author: reply.agent,
    senderType: 'agent',
    senderLabel: SENDER_LABEL.agent,
    time: '',
    datetime: '',
    text: reply.text,
    badges: ['typing'],
    mine: false,
    streaming: true,
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
    ...(pending.state === 'failed'
      ? { failed: { error: pending.error ?? 'Not sent.', clientMessageId: pending.clientMessageId } }
      : {}),
  };
}

export function presentItem(item: TimelineItem, me: string, now: Date): MessageView {
  switch (item.kind) {
    case 'message':
      return presentMessage(item.message, me, now);
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
