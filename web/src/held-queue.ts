import type { ChatMessage } from './protocol';

/**
 * The held-for-review queue as the Moderation tab shows it: the pages
 * Parley listed (listHeldMessages reads every held message of the room,
 * however old) joined with the messages the room has loaded, which frames
 * keep current. A loaded copy wins, so a release or a hide seen live takes
 * the message out at once; `gone` names messages decided here or deleted,
 * which a listed page still holds. Oldest first, hidden ones left out as
 * the loaded queue always did.
 */
export function heldQueue(
  listed: readonly ChatMessage[],
  loaded: readonly ChatMessage[],
  gone: ReadonlySet<string> = new Set(),
): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of listed) byId.set(message.messageId, message);
  for (const message of loaded) {
    if (message.moderation === 'quarantined' || byId.has(message.messageId)) byId.set(message.messageId, message);
  }
  return [...byId.values()]
    .filter((m) => m.moderation === 'quarantined' && m.hidden === undefined && !gone.has(m.messageId))
    .sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
}

/** The audit filters the tab sends with each page: a kind (family or action) and an exact actor id, when chosen. */
export function auditQuery(kind: string, actor: string): { kinds?: string[]; actorId?: string } {
  const actorId = actor.trim();
  return { ...(kind !== '' ? { kinds: [kind] } : {}), ...(actorId !== '' ? { actorId } : {}) };
}
