import { setTimeout as sleep } from 'node:timers/promises';
import { composeImposterLine, isImposterRequest } from './offline-imposter';
import { offlineDialogueToolUse } from './offline-dialogue';
import { BackendError, countTokens, type ChatBackend, type ChatEvent, type ChatRequest, type ChatToolUse } from './types';

/**
 * Model ids with a fixed behaviour, for trying failure handling locally:
 * one that is always throttled, and one whose stream breaks part-way.
 */
export const OFFLINE_TEST_MODELS = {
  unavailable: 'parley.offline-unavailable',
  interrupted: 'parley.offline-interrupted',
} as const;

/** A stream of the `interrupted` model breaks after this many pieces. */
export const INTERRUPT_AFTER_PIECES = 6;

class StreamInterrupted extends Error {
  constructor() {
    super('The offline model was told to break its stream.');
    this.name = 'StreamInterrupted';
  }
}

const QUOTE_CHARS = 160;

interface Speaker {
  readonly label: string;
  readonly text: string;
  readonly agentHandle?: string;
}

/** A line's leading time, `[2026-12-06 14:03] `, as the prompt writes it. */
const LINE_TIME = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] /;

/** Reads `[Alice] text` or `[agent @beta – Beta] text` (after any time) back into a speaker and text. */
function speakerOf(timedLine: string): Speaker | undefined {
  const line = timedLine.replace(LINE_TIME, '');
  const agent = /^\[agent @([a-z0-9_-]+) – ([^\]]*)\] ?([\s\S]*)$/i.exec(line);
  if (agent) return { label: agent[2] as string, agentHandle: agent[1] as string, text: agent[3] as string };
  const person = /^\[([^\]]+)\] ?([\s\S]*)$/.exec(line);
  return person ? { label: person[1] as string, text: person[2] as string } : undefined;
}

/**
 * Composes a deterministic reply from the prompt: it addresses whoever spoke
 * last (an agent by its handle), quotes what they said, tells how much of
 * the conversation it saw, and says plainly that it is the offline model.
 */
export function composeOfflineReply(request: Pick<ChatRequest, 'system' | 'messages'>): string {
  const self = /You are @([a-z0-9_-]+)/i.exec(request.system)?.[1];
  const lines = request.messages.filter((m) => m.role === 'user').flatMap((m) => m.text.split('\n'));
  const speakers = lines.map(speakerOf).filter((s): s is Speaker => s !== undefined);
  const last = speakers.at(-1);
  const names = [...new Set(speakers.map((s) => (s.agentHandle ? `@${s.agentHandle}` : s.label)))];
  const address = last ? (last.agentHandle ? `@${last.agentHandle}, ` : `${last.label}, `) : '';
  const said = (last?.text ?? lines.at(-1) ?? '').replace(/\s+/g, ' ').trim();
  const quote = said.length > QUOTE_CHARS ? `${said.slice(0, QUOTE_CHARS)}…` : said;
  const remembers = /What the room said earlier/.test(request.system) ? ' I was also given some of the room’s memory.' : '';
  return (
    `${address}this is ${self ? `@${self}` : 'the assistant'} on Parley's offline model: no language model is configured, ` +
    `so I can only reflect what I was sent. You said: “${quote}”. ` +
    `I see ${speakers.length} message${speakers.length === 1 ? '' : 's'} in this conversation` +
    `${names.length > 0 ? `, from ${names.join(', ')}` : ''}.${remembers}`
  );
}

/**
 * When it is offered tools, the offline model calls one, deterministically,
 * if the message it answers asks for it (first rule that matches):
 *
 * - "search history for <words>" → `search_room_history` with those words
 * - "search documents for <words>" → `search_documents` with those words
 * - "summary" or "summarize" → `get_room_summary`
 * - "time" ("what time is it?", "the current time") → `current_time`
 *
 * Given the results, it answers with them: "I used current_time: …".
 * Numbered passages (`search_documents`) are quoted one by one, each
 * followed by its number, so the reply cites them: "I used
 * search_documents: Handbook › Warranty: Two years. [1] …".
 */
export const OFFLINE_TOOL_RULES: ReadonlyArray<{ readonly tool: string; readonly pattern: RegExp; readonly input: (match: RegExpExecArray) => unknown }> = [
  { tool: 'search_room_history', pattern: /search (?:the )?history for ([^?.!\n]+)/i, input: (m) => ({ query: (m[1] as string).trim() }) },
  { tool: 'search_documents', pattern: /search (?:the )?documents for ([^?.!\n]+)/i, input: (m) => ({ query: (m[1] as string).trim() }) },
  { tool: 'get_room_summary', pattern: /\bsummar(?:y|i[sz]e)\b/i, input: () => ({}) },
  { tool: 'current_time', pattern: /\btime\b/i, input: () => ({}) },
];

/** The tool call the offline model makes for a request, if any: only before it has any result. */
export function offlineToolUse(request: Pick<ChatRequest, 'messages' | 'tools'>): ChatToolUse | undefined {
  const offered = new Set((request.tools ?? []).map((tool) => tool.name));
  if (offered.size === 0 || request.messages.some((m) => m.toolResults)) return undefined;
  const asked = request.messages.filter((m) => m.role === 'user').at(-1)?.text.split('\n').at(-1) ?? '';
  for (const rule of OFFLINE_TOOL_RULES) {
    const match = rule.pattern.exec(asked);
    if (match && offered.has(rule.tool)) return { toolUseId: `tooluse-${rule.tool}-1`, name: rule.tool, input: rule.input(match) };
  }
  return undefined;
}

const RESULT_CHARS = 600;

/** A numbered passage of a search's result: "[1] Handbook › Warranty: Two years." */
const NUMBERED_PASSAGE = /^\[(\d+)\] (.+)$/gmu;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A result's numbered passages, each quoted and cited by its number; undefined when it has none. */
function citedPassages(text: string): string | undefined {
  const passages = Array.from(text.matchAll(NUMBERED_PASSAGE), (m) => ({ n: m[1] as string, text: (m[2] as string).trim() }));
  if (passages.length === 0) return undefined;
  const each = Math.floor(RESULT_CHARS / passages.length);
  return passages.map((p) => `${cut(p.text, each)} [${p.n}]`).join(' ');
}

/** The offline model's answer once it has tool results: what each tool said. */
function composeToolAnswer(request: Pick<ChatRequest, 'messages'>): string | undefined {
  const uses = new Map(request.messages.flatMap((m) => m.toolUses ?? []).map((u) => [u.toolUseId, u.name]));
  const results = request.messages.flatMap((m) => m.toolResults ?? []);
  if (results.length === 0) return undefined;
  return results
    .map((r) => {
      const cited = r.status === 'success' ? citedPassages(r.text) : undefined;
      const text = cited ?? cut(r.text.replace(/\s+/g, ' ').trim(), RESULT_CHARS);
      return `I used ${uses.get(r.toolUseId) ?? 'a tool'}${r.status === 'error' ? ', which failed' : ''}: ${text}`;
    })
    .join(' ');
}

/** Splits a reply into word-sized pieces that keep their spaces, like a model's tokens. */
const piecesOf = (text: string): string[] => text.match(/\S+\s*|\s+/g) ?? [];

export interface OfflineResponderOptions {
  /** Pause between pieces, like a model generating about 50 tokens a second. */
  readonly pieceDelayMs?: number;
}

/** The built-in model: works with no network and no configuration. */
export class OfflineResponder implements ChatBackend {
  readonly name = 'offline responder';
  private readonly pieceDelayMs: number;

  constructor(options: OfflineResponderOptions = {}) {
    this.pieceDelayMs = options.pieceDelayMs ?? 20;
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    if (request.modelId === OFFLINE_TEST_MODELS.unavailable) {
      throw new BackendError(429, 'ThrottlingException', 'The offline model is always throttled under this model id.');
    }
    const input = countTokens(request.system) + request.messages.reduce((n, m) => n + countTokens(m.text), 0);
    const toolUse = offlineDialogueToolUse(request) ?? offlineToolUse(request);
    if (toolUse) {
      yield { type: 'toolUse', ...toolUse };
      yield { type: 'end', stopReason: 'tool_use', usage: { inputTokens: input, outputTokens: countTokens(JSON.stringify(toolUse.input)) } };
      return;
    }
    const reply = isImposterRequest(request) ? composeImposterLine(request) : (composeToolAnswer(request) ?? composeOfflineReply(request));
    const pieces = piecesOf(reply);
    const maxPieces = Math.max(1, request.maxTokens);
    let sent = 0;
    let text = '';
    for (const piece of pieces.slice(0, maxPieces)) {
      if (request.modelId === OFFLINE_TEST_MODELS.interrupted && sent === INTERRUPT_AFTER_PIECES) throw new StreamInterrupted();
      if (sent > 0 && this.pieceDelayMs > 0) await sleep(this.pieceDelayMs, undefined, { signal });
      text += piece;
      sent += 1;
      yield { type: 'text', text: piece };
    }
    yield {
      type: 'end',
      stopReason: pieces.length > maxPieces ? 'max_tokens' : 'end_turn',
      usage: { inputTokens: input, outputTokens: countTokens(text) },
    };
  }
}
