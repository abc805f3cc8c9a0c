/**
 * The widget's pure parts: what it shows (a room's messages in order, once
 * each), when it reconnects and when it renews its token. No DOM, no I/O.
 */

/** A message as the widget shows it. */
export interface WidgetMessage {
  readonly messageId: string;
  readonly senderName: string;
  readonly text: string;
  readonly createdAt: string;
  readonly mine: boolean;
}

/** How many messages the widget keeps (older ones leave the top). */
export const MAX_SHOWN = 200;

/**
 * `shown` with `incoming` merged in: each message once (a later copy
 * replaces an earlier one, as an edit or a moderation decision does), in id
 * order (ids sort by time), the newest MAX_SHOWN.
 */
export function mergeMessages(shown: readonly WidgetMessage[], incoming: readonly WidgetMessage[]): WidgetMessage[] {
  const byId = new Map(shown.map((m) => [m.messageId, m]));
  for (const message of incoming) byId.set(message.messageId, message);
  return [...byId.values()].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0)).slice(-MAX_SHOWN);
}

/** A message from the wire, or undefined for anything the widget does not show (withheld, hidden, malformed). */
export function toWidgetMessage(raw: unknown, myId: string | undefined): WidgetMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const { messageId, senderName, text, createdAt, senderId, moderation, hidden, deletedAt } = m;
  if (typeof messageId !== 'string' || typeof text !== 'string' || typeof senderName !== 'string') return undefined;
  if (hidden === true || deletedAt !== undefined || moderation === 'quarantined' || moderation === 'blocked') return undefined;
  return { messageId, senderName, text, createdAt: typeof createdAt === 'string' ? createdAt : '', mine: myId !== undefined && senderId === myId };
}

/** Milliseconds before reconnect attempt `attempt` (0-based): doubling from 500 ms to 30 s, with up to 30% jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 16));
  return Math.round(base * (1 + 0.3 * random()));
}

/** How long before a token's expiry the widget renews it. */
export const RENEW_BEFORE_MS = 5 * 60_000;

/** Milliseconds from `nowMs` until the token expiring at `expiresAt` should be renewed (0: now). */
export const renewIn = (expiresAt: string, nowMs: number): number =>
  Math.max(0, Date.parse(expiresAt) - RENEW_BEFORE_MS - nowMs);

/** The guest's user id, read from the token (its `sub`), to tell their own messages apart; undefined when unreadable. */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** The embed's settings, read from its script tag's attributes. */
export interface WidgetSettings {
  readonly room: string;
  /** The HTTP API base URL, without a trailing slash; undefined: read from the script's own site (config.json). */
  readonly api: string | undefined;
  readonly lang: string | undefined;
  readonly title: string | undefined;
  /** The id of the element to mount into; undefined: right after the script tag. */
  readonly target: string | undefined;
}

export function readSettings(attribute: (name: string) => string | null): WidgetSettings | undefined {
  const room = attribute('data-room')?.trim();
  if (!room) return undefined;
  const optional = (name: string) => attribute(name)?.trim() || undefined;
  const api = optional('data-api');
  return {
    room,
    api: api?.replace(/\/+$/, ''),
    lang: optional('data-lang'),
    title: optional('data-title'),
    target: optional('data-target'),
  };
}

/** Why a token request failed, as the widget says it. */
export type TokenProblem = 'guestsOff' | 'roomNotFound' | 'tooMany' | 'nameProblem' | 'failed';

export function tokenProblemOf(status: number): TokenProblem {
  if (status === 403) return 'guestsOff';
  if (status === 404) return 'roomNotFound';
  if (status === 429) return 'tooMany';
  if (status === 400) return 'nameProblem';
  return 'failed';
}
