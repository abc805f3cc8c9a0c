import { mentionedHandles } from './agents/triggers';
import type { Mention } from './message';

/**
 * Mentions stored on a message. A text mentions `@handle` the way agents have
 * always been addressed (see `mentionedHandles`); Parley resolves each handle
 * once, when the message is sent or edited, to the room's agent of that
 * handle or else to the member whose display name folds to it, and stores
 * the result on the message. Clients highlight and agents answer from the
 * stored list, never from the text again.
 */

/** Mentions kept per message at most; further handles are left as plain text. */
export const MAX_MENTIONS = 10;

/**
 * The handle a member is mentioned by: their display name in lower case,
 * without spaces, dots or other characters a handle cannot hold
 * ("Ada Lovelace" → `adalovelace`). Undefined when nothing mentionable is
 * left (a name with no Latin letter or digit, say): such a member can only
 * be addressed by name, not mentioned.
 */
export function memberHandleOf(displayName: string): string | undefined {
  const folded = displayName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z]+/, '')
    .slice(0, 32)
    .replace(/[-_]+$/, '');
  return folded === '' ? undefined : folded;
}

/** Whether a text holds anything that may be a mention (skips every lookup otherwise). */
export const mayMention = (text: string): boolean => mentionedHandles(text).size > 0;

/**
 * Resolves the `@handle`s of a text, in their order of first appearance and
 * at most MAX_MENTIONS of them. An agent's handle wins over a member whose
 * name folds to the same handle (agents are addressed by handle on purpose);
 * two members folding to one handle are both mentioned. Handles that name
 * nobody are dropped.
 *
 * @example
 * resolveMentions('hi @ada and @scout', { agentHandles: new Set(['scout']), members: [{ userId: 'u1', displayName: 'Ada' }] })
 * // → [{ kind: 'member', id: 'u1' }, { kind: 'agent', id: 'scout' }]
 */
export function resolveMentions(
  text: string,
  room: {
    readonly agentHandles?: ReadonlySet<string>;
    readonly members?: ReadonlyArray<{ readonly userId: string; readonly displayName: string }>;
  },
): Mention[] {
  const mentions: Mention[] = [];
  const seen = new Set<string>();
  const add = (mention: Mention) => {
    const key = `${mention.kind}:${mention.id}`;
    if (mentions.length < MAX_MENTIONS && !seen.has(key)) {
      seen.add(key);
      mentions.push(mention);
    }
  };
  for (const handle of mentionedHandles(text)) {
    if (room.agentHandles?.has(handle)) {
      add({ kind: 'agent', id: handle });
      continue;
    }
    for (const member of room.members ?? []) {
      if (memberHandleOf(member.displayName) === handle) add({ kind: 'member', id: member.userId });
    }
  }
  return mentions;
}

/** The agent handles among stored mentions. */
export const mentionedAgents = (mentions: readonly Mention[]): Set<string> =>
  new Set(mentions.filter((m) => m.kind === 'agent').map((m) => m.id));
