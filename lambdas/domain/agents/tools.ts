import * as z from 'zod/mini';
import { isToolName, TOOL_NAMES, type ToolName } from './tool-names';

export { isToolName, TOOL_NAMES, TOOL_STATUS, type ToolName, type ToolStatus } from './tool-names';

/**
 * The tools an agent may use while it answers, through the model's tool
 * use (Bedrock Converse `toolConfig`, OpenAI `tools`). Each tool has a name,
 * a description and a JSON schema the model sees, and a zod schema that
 * checks what the model sent: a malformed input becomes an error result
 * the model reads, never a failed job.
 */

/** A JSON schema, as the model's API takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What the model is told about a tool. */
export interface ToolSpec {
  readonly name: ToolName;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

const QUERY_MAX_CHARS = 200;

const queryInput: JsonSchema = {
  type: 'object',
  properties: { query: { type: 'string', description: 'What to look for, in a few words.', maxLength: QUERY_MAX_CHARS } },
  required: ['query'],
  additionalProperties: false,
};

export const TOOL_SPECS: Readonly<Record<ToolName, ToolSpec>> = {
  search_room_history: {
    name: 'search_room_history',
    description: 'Searches what was said earlier in this chat room, beyond the recent messages you see. Returns the best matching passages with their times.',
    inputSchema: queryInput,
  },
  search_documents: {
    name: 'search_documents',
    description: 'Searches the documents shared in this chat room. Returns the best matching passages, numbered, with their document and section; cite a passage you use by its number, as [1].',
    inputSchema: queryInput,
  },
  get_room_summary: {
    name: 'get_room_summary',
    description: 'Returns a summary of the conversation in this chat room so far.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  },
  current_time: {
    name: 'current_time',
    description: 'Returns the current date and time in UTC.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  },
};

const query = z.object({ query: z.string().check(z.trim(), z.minLength(1), z.maxLength(QUERY_MAX_CHARS)) });
const nothing = z.object({});

/** The zod schema of each tool's input. */
export const TOOL_INPUTS = {
  search_room_history: query,
  search_documents: query,
  get_room_summary: nothing,
  current_time: nothing,
} as const;

export type ToolInput<Name extends ToolName> = z.output<(typeof TOOL_INPUTS)[Name]>;


/**
 * Bounds on one reply's tool use: at most `rounds` rounds of tool calls
 * (the model asks, Parley answers, the model goes on), all of them within
 * `timeMs` from the first and `tokens` input plus output tokens across the
 * reply's model calls; each result is cut to `resultChars`. Past a bound,
 * the model is told to answer with what it has.
 */
export const TOOL_LIMITS = {
  rounds: 3,
  timeMs: 15_000,
  tokens: 16_000,
  resultChars: 2_000,
  /** Passages a search returns. */
  hits: 4,
} as const;

/** A tool call the model made. `input` is what it sent, parsed from JSON when it was JSON. */
export interface ToolUse {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: unknown;
}

/** What Parley answered a tool call with. */
export interface ToolResult {
  readonly toolUseId: string;
  readonly status: 'success' | 'error';
  readonly text: string;
}

/** One round: what the model said and asked for, and what it was answered. */
export interface ToolRound {
  readonly text: string;
  readonly uses: readonly ToolUse[];
  readonly results: readonly ToolResult[];
}


/** A tool call checked against its tool: the tool and its input, or why it cannot run. */
export type CheckedToolUse =
  | { readonly ok: true; readonly name: ToolName; readonly input: ToolInput<ToolName> }
  | { readonly ok: false; readonly name: string; readonly error: string };

/**
 * Checks a call against the tools offered: an unknown or unoffered tool, or
 * an input its schema refuses, comes back with the reason for the model.
 */
export function checkToolUse(use: ToolUse, offered: ReadonlySet<ToolName>): CheckedToolUse {
  if (!isToolName(use.name) || !offered.has(use.name)) return { ok: false, name: use.name, error: `There is no tool named ${use.name.slice(0, 64)}.` };
  const parsed = TOOL_INPUTS[use.name].safeParse(use.input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, name: use.name, error: `Invalid input for ${use.name}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'not an object'}.` };
  }
  return { ok: true, name: use.name, input: parsed.data };
}

/** A tool's result cut to the bound, on a character boundary. */
export const boundResult = (text: string): string =>
  text.length <= TOOL_LIMITS.resultChars ? text : `${Array.from(text.slice(0, TOOL_LIMITS.resultChars)).slice(0, -1).join('')}…`;
