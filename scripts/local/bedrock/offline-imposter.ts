import { createHash } from 'node:crypto';
import { IMPOSTER_PROMPT_MARKER } from '../../../lambdas/domain/games/imposter-rules';
import type { ChatRequest } from './types';

/**
 * The offline model's turn in an imposter round: a short, lower-case,
 * casual line that reacts to a word of the last line, as a person would
 * type it. The choice is a hash of the transcript, so the same round
 * replays the same lines, and nothing in it says what it is.
 */

/** Whether a request is the imposter's: its system prompt carries the game's marker line. */
export const isImposterRequest = (request: Pick<ChatRequest, 'system'>): boolean => request.system.includes(IMPOSTER_PROMPT_MARKER);

const OPENERS = ['hey all', 'hi hi, how is everyone', 'yo, what are we talking about', 'hello! who is here'];

const REACTIONS = [
  (word: string) => `wait, ${word}? tell me more`,
  (word: string) => `haha ${word} is a whole topic`,
  (word: string) => `ok ${word} reminds me of last weekend lol`,
  (word: string) => `hmm not sure about ${word} tbh`,
  (word: string) => `${word}?? same here honestly`,
  (word: string) => `lol why ${word} though`,
];

const SMALL_WORDS = new Set(
  'the a an and or but so to of in on at for with is are was were be i you we they it this that what who how why hi hey hello ok yes no not just really very'.split(' '),
);

const pick = <T>(items: readonly T[], hash: Buffer): T => items[hash.readUInt32BE(0) % items.length] as T;

/** The last line's longest word that says something (letters only, lower case), if any. */
function wordOf(lastLine: string): string | undefined {
  const text = lastLine.replace(/^[^:]{1,40}:\s*/, '');
  const words = (text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).filter((w) => !SMALL_WORDS.has(w));
  return words.sort((a, b) => b.length - a.length)[0];
}

/** The imposter's line for this transcript (the user turn: one `Alias: text` per line). */
export function composeImposterLine(request: Pick<ChatRequest, 'messages'>): string {
  const transcript = request.messages.filter((m) => m.role === 'user').map((m) => m.text).join('\n');
  const hash = createHash('sha256').update(transcript).digest();
  const lines = transcript.split('\n').filter((l) => /^[^:]{1,40}: /.test(l));
  const last = lines.at(-1);
  const word = last === undefined ? undefined : wordOf(last);
  if (word === undefined) return pick(OPENERS, hash);
  return pick(REACTIONS, hash)(word);
}
