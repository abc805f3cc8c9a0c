import { randomUUID } from 'node:crypto';
import {
  constants,
  createServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { decodeComponent, guardRequests, type ServerErrorEntry } from '../http-guard';
import { streamEvent } from './event-stream';
import { parseToolArguments } from './openai-translation';
import {
  BackendError,
  type ChatBackend,
  type ChatEvent,
  type ChatMessage,
  type ChatRequest,
  type ChatToolChoice,
  type ChatToolSpec,
  type ChatToolUse,
} from './types';

interface ConverseContent {
  text?: string;
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  toolResult?: { toolUseId?: string; content?: Array<{ text?: string; json?: unknown }>; status?: 'success' | 'error' };
}

interface ConverseToolChoice {
  auto?: object;
  any?: object;
  tool?: { name?: string };
}

interface ConverseBody {
  system?: Array<{ text?: string }>;
  messages?: Array<{ role?: string; content?: ConverseContent[] }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number };
  toolConfig?: {
    tools?: Array<{ toolSpec?: { name?: string; description?: string; inputSchema?: { json?: unknown } } }>;
    toolChoice?: ConverseToolChoice;
  };
}

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

const readBody = async (req: Http2ServerRequest): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

function toChatMessage(m: NonNullable<ConverseBody['messages']>[number]): ChatMessage {
  if (m.role !== 'user' && m.role !== 'assistant') throw new BackendError(400, 'ValidationException', 'A message role must be user or assistant.');
  const content = m.content ?? [];
  const toolUses = content.flatMap((c) =>
    c.toolUse ? [{ toolUseId: c.toolUse.toolUseId ?? '', name: c.toolUse.name ?? '', input: c.toolUse.input }] : [],
  );
  const toolResults = content.flatMap((c) =>
    c.toolResult
      ? [{ toolUseId: c.toolResult.toolUseId ?? '', text: (c.toolResult.content ?? []).map((r) => r.text ?? (r.json === undefined ? '' : JSON.stringify(r.json))).join(''), ...(c.toolResult.status ? { status: c.toolResult.status } : {}) }]
      : [],
  );
  return {
    role: m.role,
    text: content.map((c) => c.text ?? '').join(''),
    ...(toolUses.length > 0 ? { toolUses } : {}),
    ...(toolResults.length > 0 ? { toolResults } : {}),
  };
}

function toChatRequest(modelId: string, body: ConverseBody): ChatRequest {
  const messages = (body.messages ?? []).map(toChatMessage);
  if (messages.length === 0 || messages[0]?.role !== 'user') {
    throw new BackendError(400, 'ValidationException', 'A conversation must start with a user message.');
  }
  const tools = (body.toolConfig?.tools ?? []).flatMap(({ toolSpec: spec }): ChatToolSpec[] =>
    spec?.name
      ? [{ name: spec.name, ...(spec.description === undefined ? {} : { description: spec.description }), ...(spec.inputSchema?.json === undefined ? {} : { inputSchema: spec.inputSchema.json }) }]
      : [],
  );
  const toolChoice = toChatToolChoice(body.toolConfig?.toolChoice, tools);
  // As Bedrock does: a conversation with tool blocks needs the tools it used.
  if (tools.length === 0 && messages.some((m) => m.toolUses || m.toolResults)) {
    throw new BackendError(400, 'ValidationException', 'The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  return {
    modelId,
    system: (body.system ?? []).map((s) => s.text ?? '').join('\n'),
    messages,
    maxTokens: body.inferenceConfig?.maxTokens ?? 512,
    ...(body.inferenceConfig?.temperature === undefined ? {} : { temperature: body.inferenceConfig.temperature }),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
  };
}

/** Converse's toolChoice union (auto, any, or one tool that must be offered). */
function toChatToolChoice(choice: ConverseToolChoice | undefined, tools: readonly ChatToolSpec[]): ChatToolChoice | undefined {
  if (!choice) return undefined;
  if (choice.tool) {
    const name = choice.tool.name ?? '';
    if (!tools.some((tool) => tool.name === name)) {
      throw new BackendError(400, 'ValidationException', `The toolChoice names a tool that is not offered: ${name.slice(0, 64)}.`);
    }
    return { type: 'tool', name };
  }
  if (choice.any) return { type: 'any' };
  return { type: 'auto' };
}

const sendError = (res: Http2ServerResponse, error: BackendError) => {
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ message: error.message }));
};

export interface BedrockServer {
  readonly server: Http2Server;
  /** Closes the server and every open session. */
  close(): Promise<void>;
}

/**
 * A Bedrock-runtime-compatible endpoint: `POST /model/{modelId}/converse`
 * (JSON) and `POST /model/{modelId}/converse-stream` (AWS event-stream
 * frames), so the unchanged BedrockRuntimeClient talks to it through
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME. It speaks HTTP/2 without TLS, as the
 * SDK's Bedrock client always uses HTTP/2. Requests are not
 * signature-checked. Replies come from `backend`; a backend failure before
 * the first piece is answered with Bedrock's error shape (e.g. 429
 * ThrottlingException), a failure after it resets the stream, as a dropped
 * connection would.
 */
export function createBedrockServer(
  backend: ChatBackend,
  options: { readonly onServerError?: (entry: ServerErrorEntry) => void } = {},
): BedrockServer {
  const sessions = new Set<Http2Session>();
  const reply = (res: Http2ServerResponse, status: number, message: string) =>
    sendError(res, new BackendError(status, status === 500 ? 'InternalServerException' : 'ValidationException', message));
  const handle = guardRequests<Http2ServerRequest, Http2ServerResponse>(
    {
      server: 'Bedrock',
      port: (): number => {
        const address = server.address();
        return typeof address === 'object' && address ? address.port : 0;
      },
      onError: options.onServerError ?? (() => undefined),
      reply,
    },
    async (req, res, target) => {
      const match = ROUTE.exec(target.rawPath);
      const modelId = match ? decodeComponent(match[1] as string) : undefined;
      if (req.method !== 'POST' || modelId === undefined) {
        const shown = target.path.slice(0, 200);
        sendError(res, new BackendError(404, 'UnknownOperationException', `No operation at ${req.method} ${shown}.`));
        return;
      }
      const streaming = (match as RegExpExecArray)[2] === 'converse-stream';
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const started = performance.now();
      let request: ChatRequest;
      let events: AsyncIterator<ChatEvent>;
      let first: IteratorResult<ChatEvent>;
      try {
        request = toChatRequest(modelId, JSON.parse(await readBody(req)) as ConverseBody);
        events = backend.chat(request, abort.signal)[Symbol.asyncIterator]();
        first = await events.next();
      } catch (error) {
        sendError(
          res,
          error instanceof BackendError ? error : new BackendError(400, 'ValidationException', (error as Error).message),
        );
        return;
      }

      if (!streaming) {
        let text = '';
        const toolUses: ChatToolUse[] = [];
        // A call streamed in pieces: its input is parsed once the next event ends it.
        let streamed: { toolUseId: string; name: string; input: string } | undefined;
        const endStreamed = () => {
          if (streamed) toolUses.push({ toolUseId: streamed.toolUseId, name: streamed.name, input: parseToolArguments(streamed.input) });
          streamed = undefined;
        };
        let next = first;
        try {
          while (!next.done) {
            const event = next.value;
            if (event.type === 'toolUseInput') {
              if (!streamed) throw new BackendError(500, 'InternalServerException', 'The model sent tool input outside a tool call.');
              streamed.input += event.input;
            } else {
              endStreamed();
              if (event.type === 'text') text += event.text;
              else if (event.type === 'toolUse') toolUses.push(event);
              else if (event.type === 'toolUseStart') streamed = { toolUseId: event.toolUseId, name: event.name, input: '' };
              else {
                const { stopReason, usage } = event;
                res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
                res.end(
                  JSON.stringify({
                    output: {
                      message: {
                        role: 'assistant',
                        content: [
                          ...(text !== '' || toolUses.length === 0 ? [{ text }] : []),
                          ...toolUses.map(({ toolUseId, name, input }) => ({ toolUse: { toolUseId, name, input } })),
                        ],
                      },
                    },
                    stopReason,
                    usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
                    metrics: { latencyMs: Math.round(performance.now() - started) },
                  }),
                );
                return;
              }
            }
            next = await events.next();
          }
          sendError(res, new BackendError(500, 'InternalServerException', 'The model ended without a reply.'));
        } catch (error) {
          sendError(res, error instanceof BackendError ? error : new BackendError(500, 'InternalServerException', (error as Error).message));
        }
        return;
      }

      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() });
      res.write(streamEvent('messageStart', { role: 'assistant', p: 'abcd' }));
      let next = first;
      // One block open at a time, numbered in order: text, or a tool call from its start to its stop.
      let open: 'text' | 'toolUse' | undefined;
      let blocks = 0;
      const stop = () => {
        if (open) res.write(streamEvent('contentBlockStop', { contentBlockIndex: blocks - 1 }));
        open = undefined;
      };
      const begin = (kind: 'text' | 'toolUse', toolUse?: { toolUseId: string; name: string }) => {
        stop();
        open = kind;
        blocks += 1;
        if (toolUse) res.write(streamEvent('contentBlockStart', { contentBlockIndex: blocks - 1, start: { toolUse } }));
      };
      const input = (piece: string) => res.write(streamEvent('contentBlockDelta', { contentBlockIndex: blocks - 1, delta: { toolUse: { input: piece } } }));
      try {
        while (!next.done) {
          const event = next.value;
          if (event.type === 'text') {
            if (open !== 'text') begin('text');
            res.write(streamEvent('contentBlockDelta', { contentBlockIndex: blocks - 1, delta: { text: event.text } }));
          } else if (event.type === 'toolUse') {
            begin('toolUse', { toolUseId: event.toolUseId, name: event.name });
            input(JSON.stringify(event.input ?? {}));
            stop();
          } else if (event.type === 'toolUseStart') {
            begin('toolUse', { toolUseId: event.toolUseId, name: event.name });
          } else if (event.type === 'toolUseInput') {
            if (open !== 'toolUse') throw new BackendError(500, 'InternalServerException', 'The model sent tool input outside a tool call.');
            input(event.input);
          } else {
            // A reply with no blocks at all still ends block 0, as Bedrock's empty replies do.
            if (blocks === 0) begin('text');
            stop();
            res.write(streamEvent('messageStop', { stopReason: event.stopReason }));
            res.write(
              streamEvent('metadata', {
                usage: { ...event.usage, totalTokens: event.usage.inputTokens + event.usage.outputTokens },
                metrics: { latencyMs: Math.round(performance.now() - started) },
              }),
            );
          }
          next = await events.next();
        }
        res.end();
      } catch {
        // The stream breaks as a dropped connection would: no end, no final frames.
        res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      }
    },
  );
  const server: Http2Server = createServer(handle);
  server.on('session', (session) => {
    // A client that breaks the protocol ends its own session, nothing else.
    session.on('error', () => session.destroy());
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}
