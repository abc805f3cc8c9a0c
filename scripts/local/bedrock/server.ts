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
import { BackendError, type ChatBackend, type ChatEvent, type ChatMessage, type ChatRequest, type ChatToolUse } from './types';

interface ConverseContent {
  text?: string;
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  toolResult?: { toolUseId?: string; content?: Array<{ text?: string }>; status?: 'success' | 'error' };
}

interface ConverseBody {
  system?: Array<{ text?: string }>;
  messages?: Array<{ role?: string; content?: ConverseContent[] }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number };
  toolConfig?: { tools?: Array<{ toolSpec?: { name?: string } }> };
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
      ? [{ toolUseId: c.toolResult.toolUseId ?? '', text: (c.toolResult.content ?? []).map((r) => r.text ?? '').join(''), ...(c.toolResult.status ? { status: c.toolResult.status } : {}) }]
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
  const tools = (body.toolConfig?.tools ?? []).flatMap((t) => (t.toolSpec?.name ? [t.toolSpec.name] : []));
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
  };
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
        let next = first;
        try {
          while (!next.done) {
            if (next.value.type === 'text') text += next.value.text;
            else if (next.value.type === 'toolUse') toolUses.push(next.value);
            else {
              const { stopReason, usage } = next.value;
              res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
              res.end(
                JSON.stringify({
                  output: {
                    message: {
                      role: 'assistant',
                      content: [{ text }, ...toolUses.map(({ toolUseId, name, input }) => ({ toolUse: { toolUseId, name, input } }))],
                    },
                  },
                  stopReason,
                  usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
                  metrics: { latencyMs: Math.round(performance.now() - started) },
                }),
              );
              return;
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
      // Text goes in block 0; each tool call in a block of its own after it.
      let block = 0;
      let textOpen = false;
      try {
        while (!next.done) {
          const event = next.value;
          if (event.type === 'text') {
            textOpen = true;
            res.write(streamEvent('contentBlockDelta', { contentBlockIndex: block, delta: { text: event.text } }));
          } else if (event.type === 'toolUse') {
            if (textOpen) res.write(streamEvent('contentBlockStop', { contentBlockIndex: block }));
            block += textOpen ? 1 : 0;
            textOpen = false;
            const { toolUseId, name, input } = event;
            res.write(streamEvent('contentBlockStart', { contentBlockIndex: block, start: { toolUse: { toolUseId, name } } }));
            res.write(streamEvent('contentBlockDelta', { contentBlockIndex: block, delta: { toolUse: { input: JSON.stringify(input ?? {}) } } }));
            res.write(streamEvent('contentBlockStop', { contentBlockIndex: block }));
            block += 1;
          } else {
            // A reply without tool calls always ends block 0, text or not.
            if (textOpen || block === 0) res.write(streamEvent('contentBlockStop', { contentBlockIndex: block }));
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
