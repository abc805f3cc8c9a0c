import { mayMention, resolveMentions } from '../domain/mentions';
import { mentionedHandles } from '../domain/agents/triggers';
import type { Mention } from '../domain/message';
import type { RoomRepository } from '../domain/ports';

/**
 * The mentions to store on a message of `roomId` with `text` (domain/mentions.ts).
 * The agents' handles come from moderation's check, which reads them for any
 * text with a mention; the room's members are read (one Query) only when a
 * handle is left that no agent answers to, so a message without mentions, or
 * addressing only agents, costs no request here.
 */
export async function mentionsFor(
  deps: { readonly rooms: RoomRepository },
  roomId: string,
  text: string,
  agentHandles: ReadonlySet<string> | undefined,
): Promise<Mention[]> {
  if (!mayMention(text)) return [];
  const handles = mentionedHandles(text);
  const unresolved = [...handles].some((handle) => !agentHandles?.has(handle));
  const members = unresolved ? await deps.rooms.listMembers(roomId) : [];
  return resolveMentions(text, { members, ...(agentHandles ? { agentHandles } : {}) });
}
