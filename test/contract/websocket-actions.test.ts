import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { requestSchemas, type Action } from '../../lambdas/domain/protocol';
import { createActionHandler, type ActionHandlers } from '../../lambdas/shared/ws-action';
import { FakeRateLimiter } from '../support/fakes/chat';
import { lambdaContext, wsEvent } from '../support/events';
import { invalidVariants, missingFields, readSpec, requiredOnly, specAjv, type SpecCase } from '../support/spec-cases';

/**
 * The WebSocket API against its published AsyncAPI document: every case is
 * derived from docs/asyncapi.json alone, ajv confirms the spec's verdict,
 * and the real edge (the real request schemas, fake use cases) must agree:
 * what the spec calls valid is not refused for validation and reaches the
 * use case; what it calls invalid gets an error frame and runs nothing.
 */

type Json = Record<string, unknown>;
interface RequestMessage {
  readonly payload: Json;
  readonly examples: ReadonlyArray<{ readonly payload: Json }>;
}

const spec = readSpec('docs/asyncapi.json');
const messages = (spec['components'] as { messages: Record<string, RequestMessage> }).messages;
const actions = Object.entries(spec['operations'] as Record<string, { action: string; messages: Array<{ $ref: string }> }>)
  .filter(([, operation]) => operation.action === 'send')
  .map(([name]) => name);

const ajv = specAjv();
const validators = new Map<string, ValidateFunction>();
const validatorOf = (action: string): ValidateFunction => {
  let validate = validators.get(action);
  if (validate === undefined) {
    validate = ajv.compile(messages[action]!.payload);
    validators.set(action, validate);
  }
  return validate;
};
/** Whether any action's request schema in the spec accepts the body. */
const anyActionAccepts = (body: unknown): boolean => actions.some((action) => validatorOf(action)(body));

const useCases = Object.fromEntries(
  Object.keys(requestSchemas).map((action) => [action, vi.fn(async () => ({ ok: true }))]),
) as unknown as Record<Action, ReturnType<typeof vi.fn>>;
const handler = createActionHandler(useCases as ActionHandlers, { actionLimiter: new FakeRateLimiter(true) });

const send = async (body: unknown): Promise<Json> => {
  const event = wsEvent({ body: typeof body === 'string' ? body : JSON.stringify(body), routeKey: '$default' });
  const result = (await handler(event, lambdaContext)) as { body: string };
  return JSON.parse(result.body) as Json;
};

const calls = (): number => Object.values(useCases).reduce((sum, useCase) => sum + useCase.mock.calls.length, 0);

const validCases = (action: string): SpecCase[] => {
  const message = messages[action]!;
  return message.examples.flatMap((example, i) => [
    { name: `example ${i + 1}`, body: example.payload },
    { name: `example ${i + 1}, required fields only`, body: requiredOnly(message.payload, example.payload) },
  ]);
};

const invalidCases = (action: string): SpecCase[] => {
  const message = messages[action]!;
  const valid = message.examples[0]!.payload;
  return invalidVariants(message.payload, valid, ['action']);
};

describe('the AsyncAPI document', () => {
  it('specifies every action the edge serves, and only those', () => {
    expect(actions.sort()).toEqual(Object.keys(requestSchemas).sort());
  });

  it.each(actions)('gives %s an example with every field it accepts', (action) => {
    const message = messages[action]!;
    expect(missingFields(message.payload, message.examples[0]?.payload)).toEqual([]);
  });
});

describe.each(actions)('%s', (action) => {
  beforeAll(() => {
    for (const useCase of Object.values(useCases)) useCase.mockClear();
  });

  it.each(validCases(action))('accepts a spec-valid request: $name', async ({ body }) => {
    expect(validatorOf(action)(body), JSON.stringify(validatorOf(action).errors)).toBe(true);
    const before = useCases[action as Action].mock.calls.length;

    const frame = await send(body);

    expect(frame).toMatchObject({ type: 'ack', action });
    expect(useCases[action as Action].mock.calls.length).toBe(before + 1);
  });

  it.each(invalidCases(action))('refuses a spec-invalid request: $name', async ({ body }) => {
    expect(validatorOf(action)(body)).toBe(false);
    const before = calls();

    const frame = await send(body);

    expect(frame).toMatchObject({ type: 'error', code: 'BAD_REQUEST', action });
    expect(calls()).toBe(before);
  });
});

describe('requests no action accepts', () => {
  const cases: SpecCase[] = [
    { name: 'an unknown action', body: { action: 'noSuchAction', requestId: 'q1', roomId: 'r1' } },
    { name: 'no action at all', body: { requestId: 'q1', roomId: 'r1' } },
  ];
  const notObjects: SpecCase[] = [
    { name: 'an array', body: '[{"action": "ping"}]' },
    { name: 'a string', body: JSON.stringify('ping') },
    { name: 'a number', body: '42' },
    { name: 'null', body: 'null' },
  ];

  it.each(cases)('answers UNKNOWN_ACTION to $name, and runs nothing', async ({ body }) => {
    expect(anyActionAccepts(body)).toBe(false);
    const before = calls();

    expect(await send(body)).toMatchObject({ type: 'error', code: 'UNKNOWN_ACTION' });
    expect(calls()).toBe(before);
  });

  it.each(notObjects)('answers BAD_REQUEST to a body that is $name, and runs nothing', async ({ body }) => {
    expect(anyActionAccepts(JSON.parse(body as string))).toBe(false);
    const before = calls();

    expect(await send(body)).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(calls()).toBe(before);
  });

  it('answers MALFORMED_JSON to a body that is not JSON, and runs nothing', async () => {
    const before = calls();

    expect(await send('{"action": "ping",')).toMatchObject({ type: 'error', code: 'MALFORMED_JSON' });
    expect(calls()).toBe(before);
  });
});
