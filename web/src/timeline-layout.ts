import type { ChatMessage } from './protocol';
import type { TimelineItem } from './timeline';
import { t } from './i18n';

/**
 * How the timeline is laid out, decided without the DOM: a person's
 * consecutive messages form a group (their name once), a day begins with a
 * separator ("Today", "Yesterday", a weekday, a date), and times show
 * compactly with the full timestamp a hover or focus away.
 */

/** A group breaks after this long without a message from its sender. */
export const GROUP_BREAK_MS = 5 * 60_000;

/** Where a row stands: whether it continues the group above, and the day it begins, if any. */
export interface RowPlace {
  /** Same sender as the row above, on the same day, within GROUP_BREAK_MS of it: no name repeated. */
  readonly continues: boolean;
  /** Set on the first row of a day: the label of the separator above it. */
  readonly day?: { readonly key: string; readonly label: string };
}

/** Who a row is from, as a group shows them: a new display name starts a new group, since the group names its sender once. */
const senderOf = (item: TimelineItem): string => {
  if (item.kind === 'message') return `${item.message.senderType ?? 'human'}\n${item.message.senderId}\n${item.message.senderName}`;
  if (item.kind === 'pending') return `human\n${item.pending.senderId}\n${item.pending.senderName}`;
  return `agent\n${item.reply.agent}`;
};

/** When a row was written; a streaming reply has no time yet (it is now). */
const createdAtOf = (item: TimelineItem): string | undefined =>
  item.kind === 'message' ? item.message.createdAt : item.kind === 'pending' ? item.pending.createdAt : undefined;

/** Rows a group never takes in: a streaming reply, a withheld or system message stand on their own. */
const standsAlone = (item: TimelineItem): boolean =>
  item.kind === 'reply' || (item.kind === 'message' && isSystem(item.message));

const isSystem = (message: ChatMessage): boolean => message.senderType === 'system';

/** The calendar day of `date` in `timeZone`, as YYYY-MM-DD. */
export const dayKey = (date: Date, timeZone?: string): string =>
  new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(date);

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** "Today", "Yesterday", a weekday within the past week, else the date (with its year when not this year's). */
export function dayLabel(iso: string, now: Date, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  const zone = timeZone ? { timeZone } : {};
  const days = daysBetween(dayKey(date, timeZone), dayKey(now, timeZone));
  if (days === 0) return t().timeline.today;
  if (days === 1) return t().timeline.yesterday;
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long', ...zone }).format(date);
  const sameYear = dayKey(date, timeZone).slice(0, 4) === dayKey(now, timeZone).slice(0, 4);
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    ...zone,
  }).format(date);
}

/** The time of day alone (the separator above says which day): "14:05". */
export function shortTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(date);
}

/** The whole timestamp, for the tooltip: "Sunday, 6 December 2026 at 14:05:09". */
export function fullTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(date);
}

/** Each row's place, in the order of `items` (timelineItems' display order). */
export function placeRows(items: readonly TimelineItem[], now: Date, locale?: string, timeZone?: string): RowPlace[] {
  const places: RowPlace[] = [];
  let previous: { sender: string; at: number; day: string; alone: boolean } | undefined;
  for (const item of items) {
    const createdAt = createdAtOf(item);
    const at = createdAt === undefined ? now.getTime() : Date.parse(createdAt);
    const day = dayKey(new Date(at), timeZone);
    const sender = senderOf(item);
    const alone = standsAlone(item);
    const newDay = previous === undefined ? createdAt !== undefined : day !== previous.day;
    const continues =
      previous !== undefined &&
      !newDay &&
      !alone &&
      !previous.alone &&
      previous.sender === sender &&
      at - previous.at >= 0 &&
      at - previous.at < GROUP_BREAK_MS;
    places.push(
      newDay ? { continues, day: { key: day, label: dayLabel(new Date(at).toISOString(), now, locale, timeZone) } } : { continues },
    );
    previous = { sender, at, day, alone };
  }
  return places;
}
