import { memberHandleOf } from '../../lambdas/domain/mentions';
import { foldName } from '../../lambdas/domain/names';
import type { AgentInfo, Membership } from './protocol';

/**
 * @mention autocomplete, decided without the DOM: which `@word` the caret is
 * in, who in the room it may name (members by the handle their display name
 * folds to, agents by their handle: Parley's own rules, lambdas/domain/mentions.ts),
 * and the text once one is picked.
 */

export interface MentionCandidate {
  readonly kind: 'member' | 'agent';
  /** What follows the `@`. */
  readonly handle: string;
  /** The name shown beside it. */
  readonly name: string;
}

/** How many suggestions the list shows at most. */
export const MAX_SUGGESTIONS = 8;

/** The `@word` being typed just before the caret: where its `@` is and what follows it. */
export function activeMention(text: string, caret: number): { readonly start: number; readonly query: string } | undefined {
  // An @ at the start or after a space or punctuation (not inside an e-mail address), then handle characters.
  const match = /(^|[^\p{L}\p{N}_@.-])@([\p{L}\p{N}_-]{0,32})$/u.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[2] as string;
  return { start: caret - query.length - 1, query };
}

/** The room's members (not the writer) and agents whose handle or name starts with `query`; agents first, then by handle. */
export function mentionCandidates(
  members: readonly Pick<Membership, 'userId' | 'displayName'>[],
  agents: readonly Pick<AgentInfo, 'handle' | 'displayName'>[],
  query: string,
  myUserId: string,
): MentionCandidate[] {
  const wanted = foldName(query);
  const matches = (handle: string, name: string) =>
    handle.startsWith(wanted) || foldName(name).startsWith(wanted) || foldName(name).split(' ').some((w) => w.startsWith(wanted));
  const agentHandles = new Set(agents.map((a) => a.handle));
  const found: MentionCandidate[] = [];
  for (const agent of agents) {
    if (matches(agent.handle, agent.displayName)) found.push({ kind: 'agent', handle: agent.handle, name: agent.displayName });
  }
  const memberHandles = new Set<string>();
  for (const member of members) {
    const handle = memberHandleOf(member.displayName);
    // An agent wins a handle both could answer to (as Parley resolves it); one entry per handle.
    if (member.userId === myUserId || handle === undefined || agentHandles.has(handle) || memberHandles.has(handle)) continue;
    if (!matches(handle, member.displayName)) continue;
    memberHandles.add(handle);
    found.push({ kind: 'member', handle, name: member.displayName });
  }
  return found
    .sort((a, b) => (a.kind === b.kind ? a.handle.localeCompare(b.handle) : a.kind === 'agent' ? -1 : 1))
    .slice(0, MAX_SUGGESTIONS);
}

/** The text with the `@word` at the caret replaced by `@handle ` , and where the caret goes. */
export function applyMention(text: string, caret: number, handle: string): { readonly text: string; readonly caret: number } {
  const active = activeMention(text, caret);
  if (!active) return { text, caret };
  const inserted = `@${handle} `;
  const rest = text.slice(caret).replace(/^[\p{L}\p{N}_-]*/u, '').replace(/^ /, '');
  return { text: text.slice(0, active.start) + inserted + rest, caret: active.start + inserted.length };
}
