import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { guardRequests, type ServerErrorEntry } from '../http-guard';
import { EventBridgeError, type LocalEventBus } from './event-bus';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** The largest request body taken: ten entries of 256 KB and their envelope. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The operations served, by their `X-Amz-Target` (`AWSEvents.<Operation>`). */
const OPERATIONS: Readonly<Record<string, (bus: LocalEventBus, input: Record<string, unknown>) => unknown>> = {
  PutEvents: (bus, input) => bus.putEvents(input),
  PutRule: (bus, input) => bus.putRule(input),
  PutTargets: (bus, input) => bus.putTargets(input),
  DeleteRule: (bus, input) => bus.deleteRule(input),
  RemoveTargets: (bus, input) => bus.removeTargets(input),
  ListRules: (bus, input) => bus.listRules(input),
  ListTargetsByRule: (bus, input) => bus.listTargetsByRule(input),
  DescribeEventBus: (bus, input) => bus.describeEventBus(typeof input['Name'] === 'string' ? input['Name'].replace(/^arn:.*:event-bus\//, '') : 'default'),
};

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': CONTENT_TYPE });
  res.end(JSON.stringify(body));
};

/** An error as AWS's JSON 1.1 protocol answers it, which the SDK turns into the named exception. */
const replyError = (res: ServerResponse, status: number, type: string, message: string): void => {
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
};

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The local EventBridge endpoint: an HTTP server speaking the JSON 1.1
 * protocol the SDK uses (`POST /`, `X-Amz-Target: AWSEvents.PutEvents`…),
 * in front of a LocalEventBus. Functions reach it through
 * AWS_ENDPOINT_URL_EVENTBRIDGE; tests reach it with an EventBridgeClient
 * pointed at its URL. Archives and replays are not emulated.
 */
export function createEventBridgeServer(bus: LocalEventBus, options: { readonly onServerError?: (entry: ServerErrorEntry) => void } = {}): Server {
  const server: Server = createServer(
    guardRequests<IncomingMessage, ServerResponse>(
      {
        server: 'EventBridge',
        port: () => {
          const address = server.address();
          return typeof address === 'object' && address ? address.port : 0;
        },
        onError: options.onServerError ?? (() => undefined),
        reply: (res, status, message) => replyError(res, status, status >= 500 ? 'InternalException' : 'ValidationException', message),
      },
      async (req, res) => {
        if (req.method !== 'POST') return replyError(res, 405, 'UnknownOperationException', 'Only POST is served.');
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('AWSEvents.') ? OPERATIONS[target.slice('AWSEvents.'.length)] : undefined;
        if (operation === undefined) return replyError(res, 400, 'UnknownOperationException', `Operation ${target || '(none)'} is not served locally.`);
        const body = await readBody(req);
        if (body === undefined) return replyError(res, 413, 'ValidationException', 'The request is too large.');
        let input: unknown;
        try {
          input = body === '' ? {} : JSON.parse(body);
        } catch {
          return replyError(res, 400, 'SerializationException', 'The request body is not JSON.');
        }
        if (input === null || typeof input !== 'object' || Array.isArray(input)) {
          return replyError(res, 400, 'SerializationException', 'The request body must be a JSON object.');
        }
        try {
          return reply(res, 200, operation(bus, input as Record<string, unknown>));
        } catch (error) {
          if (error instanceof EventBridgeError) return replyError(res, 400, error.type, error.message);
          throw error;
        }
      },
    ),
  );
  return server;
}
