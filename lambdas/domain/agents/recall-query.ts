import { termsOf } from '../memory/terms';
import { agentSenderId } from './config';
import type { HistoryEntry } from './prompt';
import { withoutMentions } from './triggers';
import { isAuthoredMessage } from '../message';

/**
 * Below this many content terms a message is a follow-up ("@helper when was
 * that?"). Two, not more: a short question that names its subject ("When
 * does Ingrid start?") finds its fact best on its own, and widening it with
 * unrelated chatter lost a tenth of the recall benchmark's answers.
 */
export const MIN_QUERY_TERMS = 2;
/** People's messages before a follow-up that widen its query. */
export const FOLLOW_UP_CONTEXT = 2;

/**
 * What an agent asks room memory for when it answers the last message of
 * `history`: that message without its mentions (a handle is in every
 * message that calls the agent, so it tells passages apart by who called
 * whom, not by what was asked). A follow-up with fewer than
 * `MIN_QUERY_TERMS` content terms is widened with the previous
 * `FOLLOW_UP_CONTEXT` messages people sent, which say what "that" is.
 *
 * @example
 * recallQuery([human('Alice', 'the offsite is in Lisbon'), human('Bob', '@helper when was that decided?')])
 * // 'the offsite is in Lisbon when was that decided?'
 */
export function recallQuery(history: readonly HistoryEntry[]): string {
  const trigger = history.at(-1);
  if (!trigger) return '';
  const asked = withoutMentions(trigger.text);
  if (termsOf(asked).length >= MIN_QUERY_TERMS) return asked;
  const before = history
    .slice(0, -1)
    .filter((entry) => isAuthoredMessage(entry.senderType))
    .slice(-FOLLOW_UP_CONTEXT)
    .map((entry) => withoutMentions(entry.text));
  return [...before, asked].filter((part) => part !== '').join(' ');
}

/** The sender whose messages an agent's recall leaves out: the agent itself. */
export const recallExcludedSenders = (handle: string): ReadonlySet<string> => new Set([agentSenderId(handle)]);
