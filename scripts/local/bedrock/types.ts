/** A tool call the model made, as the conversation carries it back. */
export interface ChatToolUse {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: unknown;
}

/** The answer to a tool call. */
export interface ChatToolResult {
  readonly toolUseId: string;
  readonly text: string;
  readonly status?: 'success' | 'error';
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  /** The message's text blocks, joined. */
  readonly text: string;
  readonly toolUses?: readonly ChatToolUse[];
  readonly toolResults?: readonly ChatToolResult[];
}

/** A tool offered to the model (Converse `toolSpec`): its name, what it does, its input's JSON schema. */
export interface ChatToolSpec {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema?: unknown;
}

/** Converse `toolChoice`: the model decides, must call some tool, or must call the named one. */
export type ChatToolChoice = { readonly type: 'auto' } | { readonly type: 'any' } | { readonly type: 'tool'; readonly name: string };

/** A Converse request as the local endpoint reads it: text, tool calls and their results. */
export interface ChatRequest {
  readonly modelId: string;
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly temperature?: number;
  /** The tools offered (toolConfig); absent, none. */
  readonly tools?: readonly ChatToolSpec[];
  /** How the model must use them (toolConfig.toolChoice); absent, as it decides. */
  readonly toolChoice?: ChatToolChoice;
}

export interface ChatUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type ChatEvent =
  | { readonly type: 'text'; readonly text: string }
  | ({ readonly type: 'toolUse' } & ChatToolUse)
  /** A tool call streamed in pieces: its start, then its input's JSON text in fragments, ended by the next event. */
  | { readonly type: 'toolUseStart'; readonly toolUseId: string; readonly name: string }
  | { readonly type: 'toolUseInput'; readonly input: string }
  | { readonly type: 'end'; readonly stopReason: string; readonly usage: ChatUsage };

/** An error the endpoint answers with Bedrock's error shape: HTTP status and error type. */
export class BackendError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** What generates replies behind the endpoint. */
export interface ChatBackend {
  readonly name: string;
  /** Yields the reply's text pieces, then its end; throws BackendError before the first piece when it cannot answer. */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent>;
}

/** Tokens as the offline model counts them: about four characters each. */
export const countTokens = (text: string): number => Math.ceil(text.length / 4);
