import { requestSchemas, ACTION_ADMISSION, type Action } from '../domain/protocol';
import { frameSchemas, type FrameType } from '../domain/frame-schemas';
import { ACTION_DOCS } from './actions';
import { FRAME_EXAMPLES } from './frames';
import { described } from './field-docs';
import { CONTRACT_VERSION, CONVERSION_GAPS, jsonSchemaOf, type JsonSchema } from './json-schema';

/** The one channel: a Parley connection carries every request and frame. */
const CHANNEL = 'parley';

const ADMISSION_TEXT = {
  read: 'Changes nothing.',
  change: "Spends a token of the caller's action budget before it runs (RATE_LIMITED when spent).",
  own: 'Has a rate limit of its own.',
} as const;

/** The schema of an action's request: its fields and the `action` naming it. */
export function requestPayloadSchema(action: Action): JsonSchema {
  const schema = jsonSchemaOf(requestSchemas[action], 'input');
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
  const required = (schema['required'] ?? []) as string[];
  return {
    ...schema,
    properties: {
      action: { type: 'string', const: action, description: 'The action this request asks for.' },
      ...described(properties),
    },
    required: ['action', ...required],
  };
}

const capitalized = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The operation that receives a frame: `receiveMessage`, `receiveAgentDelta`… */
export const receiveOperationOf = (type: FrameType): string => `receive${capitalized(type)}`;

const frameMessageName = (type: FrameType): string => `${type}Frame`;

const ref = (path: string) => ({ $ref: `#/${path}` });

/**
 * The AsyncAPI 3.0 document of Parley's WebSocket API, built from the
 * request schemas the edge validates with (lambdas/domain/protocol.ts) and
 * the frame schemas (lambdas/domain/frame-schemas.ts): each action a `send`
 * operation whose reply is an `ack` or an `error` frame, and each frame
 * Parley sends a `receive` operation. Pure and deterministic, so the copy in
 * docs/asyncapi.json can be compared with it.
 */
export function buildAsyncApi(): JsonSchema {
  const actions = Object.keys(requestSchemas) as Action[];
  const frameTypes = Object.keys(frameSchemas) as FrameType[];

  const requestMessages = Object.fromEntries(
    actions.map((action) => {
      const doc = ACTION_DOCS[action];
      return [
        action,
        {
          name: action,
          title: action,
          summary: doc.summary,
          description: `${doc.summary} ${ADMISSION_TEXT[ACTION_ADMISSION[action]]} Answered with an ack frame, or an error frame.`,
          contentType: 'application/json',
          payload: requestPayloadSchema(action),
          examples: [{ name: action, summary: `A ${action} request`, payload: { action, ...doc.example } }],
        },
      ];
    }),
  );
  const frameMessages = Object.fromEntries(
    frameTypes.map((type) => {
      const payload = jsonSchemaOf(frameSchemas[type], 'output');
      return [
        frameMessageName(type),
        {
          name: type,
          title: `${type} frame`,
          summary: String(payload['description'] ?? type),
          contentType: 'application/json',
          payload,
          examples: [{ name: type, summary: `A ${type} frame`, payload: FRAME_EXAMPLES[type] }],
        },
      ];
    }),
  );

  const channelMessages = Object.fromEntries(
    [...actions, ...frameTypes.map(frameMessageName)].map((name) => [name, ref(`components/messages/${name}`)]),
  );
  const channelMessage = (name: string) => ref(`channels/${CHANNEL}/messages/${name}`);

  const sendOperations = Object.fromEntries(
    actions.map((action) => [
      action,
      {
        action: 'send',
        channel: ref(`channels/${CHANNEL}`),
        summary: ACTION_DOCS[action].summary,
        messages: [channelMessage(action)],
        reply: {
          channel: ref(`channels/${CHANNEL}`),
          messages: [channelMessage(frameMessageName('ack')), channelMessage(frameMessageName('error'))],
        },
      },
    ]),
  );
  const receiveOperations = Object.fromEntries(
    frameTypes.map((type) => [
      receiveOperationOf(type),
      {
        action: 'receive',
        channel: ref(`channels/${CHANNEL}`),
        summary: String(frameMessages[frameMessageName(type)]?.summary ?? type),
        messages: [channelMessage(frameMessageName(type))],
      },
    ]),
  );

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Parley WebSocket API',
      version: CONTRACT_VERSION,
      description:
        'Chatrooms for people and LLM agents. A client opens one WebSocket with its token and sends JSON requests, ' +
        'each naming its `action` and optionally a `requestId` echoed in the answer; Parley answers each with an ' +
        '`ack` or an `error` frame (validation errors have the code BAD_REQUEST, unknown actions UNKNOWN_ACTION, ' +
        'frames that are not JSON MALFORMED_JSON) and sends frames about rooms as they change. Frames stay under ' +
        "32 KB. docs/protocol.md describes every action with examples. Unknown fields in a request are ignored. " +
        CONVERSION_GAPS,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: '{apiId}.execute-api.{region}.amazonaws.com',
        pathname: '/{stage}',
        protocol: 'wss',
        description: 'The deployed WebSocket API.',
        variables: {
          apiId: { description: 'The WebSocket API id (a stack output).' },
          region: { description: 'The AWS region.', default: 'eu-west-1' },
          stage: { description: 'The stage.', default: 'prod' },
        },
        security: [ref('components/securitySchemes/token')],
      },
      local: {
        host: '127.0.0.1:3001',
        protocol: 'ws',
        description: 'The local runtime (npm start).',
        security: [ref('components/securitySchemes/token')],
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/',
        title: 'A Parley connection',
        description: 'Every request and frame travels on the one connection a client opens.',
        messages: channelMessages,
      },
    },
    operations: { ...sendOperations, ...receiveOperations },
    components: {
      messages: { ...requestMessages, ...frameMessages },
      securitySchemes: {
        token: {
          type: 'httpApiKey',
          name: 'token',
          in: 'query',
          description:
            'The ID token of the user (a Cognito ID token when deployed; `npm run token -- <name>` locally), checked ' +
            'once when the connection opens. Frames sent after it expires get SESSION_EXPIRED.',
        },
      },
    },
  };
}
