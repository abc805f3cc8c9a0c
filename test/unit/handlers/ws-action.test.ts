import { describe, expect, it, vi } from 'vitest';
import { PermissionError } from '../../../lambdas/domain/errors';
import { MAX_FRAME_BYTES } from '../../../lambdas/domain/frame-budget';
import { logger } from '../../../lambdas/shared/observability';
import { actionBudgetKey, createActionHandler, dispatch, type WebSocketEvent } from '../../../lambdas/shared/ws-action';
import { FakeRateLimiter } from '../../support/fakes/chat';
import { lambdaContext, wsEvent } from '../../support/events';

const frameOf = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

/** The event on a connection whose token expired a second ago. */
const expired = (event: WebSocketEvent): WebSocketEvent => {
  const authorizer = (event.requestContext as unknown as { authorizer: Record<string, unknown> }).authorizer;
  authorizer['expiresAt'] = Math.floor(Date.now() / 1000) - 1;
  return event;
};

/** An action budget with tokens to spare, for tests about something else. */
const budget = { actionLimiter: new FakeRateLimiter(true) };

describe('dispatch', () => {
  it('acks a valid request with its result and echoes the request id', async () => {
    const joinRoom = vi.fn(async () => ({ joined: true }));
    const result = await dispatch(
      { joinRoom },
      wsEvent({ body: { action: 'joinRoom', roomId: 'r1', requestId: 'q-1' } }),
      budget,
    );

    expect(frameOf(result)).toEqual({ type: 'ack', action: 'joinRoom', requestId: 'q-1', data: { joined: true } });
    expect(joinRoom).toHaveBeenCalledWith(
      { userId: 'u-alice', displayName: 'Alice' },
      { roomId: 'r1', requestId: 'q-1' },
      expect.anything(),
    );
  });

  it('refuses any action once the token the connection opened with has expired, and runs nothing', async () => {
    const joinRoom = vi.fn(async () => ({ joined: true }));
    const expired = wsEvent({ body: { action: 'joinRoom', roomId: 'r1', requestId: 'q-9' } });
    const authorizer = (expired.requestContext as unknown as { authorizer: Record<string, unknown> }).authorizer;
    authorizer['expiresAt'] = Math.floor(Date.now() / 1000) - 1;

    expect(frameOf(await dispatch({ joinRoom }, expired))).toEqual({
      type: 'error',
      code: 'SESSION_EXPIRED',
      message: 'Your sign-in has expired: reconnect with a new token.',
      requestId: 'q-9',
      action: 'joinRoom',
    });
    expect(joinRoom).not.toHaveBeenCalled();
  });

  it('answers SESSION_EXPIRED before judging the frame, whatever it holds, and runs nothing', async () => {
    const sendMessage = vi.fn();
    const frames: Array<[string | object, Record<string, unknown>]> = [
      ['{"action": "sendMessage", ', {}],
      ['[1,2]', {}],
      [{ action: 'dance', requestId: 'q-1' }, { requestId: 'q-1', action: 'dance' }],
      [{ roomId: 'r1', requestId: 'q-2' }, { requestId: 'q-2' }],
      [{ action: 'sendMessage', requestId: 'q-3', roomId: 'r1' }, { requestId: 'q-3', action: 'sendMessage' }],
      [
        { action: 'sendMessage', requestId: 'q-4', roomId: 'r1', clientMessageId: 'cm-\ud800', text: 'hi' },
        { requestId: 'q-4', action: 'sendMessage' },
      ],
      [{ action: 'sendMessage', roomId: 'r1', clientMessageId: 'cm-1', text: 'hi' }, { action: 'sendMessage' }],
    ];

    for (const [body, echoed] of frames) {
      expect(frameOf(await dispatch({ sendMessage }, expired(wsEvent({ body }))))).toEqual({
        type: 'error',
        code: 'SESSION_EXPIRED',
        message: 'Your sign-in has expired: reconnect with a new token.',
        ...echoed,
      });
    }
    expect(sendMessage).not.toHaveBeenCalled();
  });

  it('answers SESSION_EXPIRED on the $default route too, where every action is unknown', async () => {
    const { handler } = await import('../../../lambdas/handlers/default');

    const result = await handler(expired(wsEvent({ body: { action: 'dance', requestId: 'q-5' } })), lambdaContext);

    expect(frameOf(result as { body: string })).toMatchObject({ code: 'SESSION_EXPIRED', requestId: 'q-5' });
  });

  it('runs actions while the token is still valid, its expiry given as a number or a numeric string', async () => {
    const joinRoom = vi.fn(async () => ({ joined: true }));
    const later = Math.floor(Date.now() / 1000) + 60;
    for (const expiresAt of [later, String(later)]) {
      const event = wsEvent({ body: { action: 'joinRoom', roomId: 'r1' } });
      (event.requestContext as unknown as { authorizer: Record<string, unknown> }).authorizer['expiresAt'] = expiresAt;
      expect(frameOf(await dispatch({ joinRoom }, event, budget))).toMatchObject({ type: 'ack' });
    }
    expect(joinRoom).toHaveBeenCalledTimes(2);
  });

  it('answers malformed JSON with an error frame and runs nothing', async () => {
    const joinRoom = vi.fn();
    const result = await dispatch({ joinRoom }, wsEvent({ body: '{"action": "joinRoom", ' }));
    expect(frameOf(result)).toMatchObject({ type: 'error', code: 'MALFORMED_JSON' });
    expect(joinRoom).not.toHaveBeenCalled();
  });

  it('answers a JSON value that is not an object', async () => {
    expect(frameOf(await dispatch({}, wsEvent({ body: '[1,2]' })))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers an unknown or missing action', async () => {
    expect(frameOf(await dispatch({}, wsEvent({ body: { action: 'dance', requestId: 'q-2' } })))).toEqual({
      type: 'error',
      code: 'UNKNOWN_ACTION',
      message: 'Unknown action "dance".',
      requestId: 'q-2',
      action: 'dance',
    });
    expect(frameOf(await dispatch({}, wsEvent({ body: { roomId: 'r1' } })))).toMatchObject({ code: 'UNKNOWN_ACTION' });
  });

  it('does not treat inherited property names as actions', async () => {
    expect(frameOf(await dispatch({}, wsEvent({ body: { action: 'constructor' } })))).toMatchObject({
      code: 'UNKNOWN_ACTION',
    });
  });

  it('names the invalid field', async () => {
    const result = await dispatch({ sendMessage: vi.fn() }, wsEvent({ body: { action: 'sendMessage', roomId: 'r1', text: 'hi' } }));
    expect(frameOf(result)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('clientMessageId') });
  });

  it('shows a client error’s message and hides an internal one', async () => {
    const forbidden = await dispatch(
      { joinRoom: async () => { throw new PermissionError('Not for you.'); } },
      wsEvent({ body: { action: 'joinRoom', roomId: 'r1' } }),
      budget,
    );
    expect(frameOf(forbidden)).toMatchObject({ code: 'FORBIDDEN', message: 'Not for you.' });

    const internal = await dispatch(
      { joinRoom: async () => { throw new Error('table arn:aws:dynamodb:... exploded'); } },
      wsEvent({ body: { action: 'joinRoom', roomId: 'r1' } }),
      budget,
    );
    expect(frameOf(internal)).toMatchObject({ code: 'INTERNAL' });
    expect(String(frameOf(internal)['message'])).not.toContain('arn:aws');
  });

  it('spends the user’s action budget on a changing action, and refuses it with RATE_LIMITED and runs nothing when spent', async () => {
    const joinRoom = vi.fn(async () => ({ joined: true }));
    const limiter = new FakeRateLimiter(true);
    const event = () => wsEvent({ body: { action: 'joinRoom', roomId: 'r1', requestId: 'q-7' } });

    expect(frameOf(await dispatch({ joinRoom }, event(), { actionLimiter: limiter }))).toMatchObject({ type: 'ack' });
    limiter.allow = false;
    expect(frameOf(await dispatch({ joinRoom }, event(), { actionLimiter: limiter }))).toEqual({
      type: 'error',
      code: 'RATE_LIMITED',
      message: 'Too many changes at once; slow down and retry shortly.',
      requestId: 'q-7',
      action: 'joinRoom',
    });
    expect(joinRoom).toHaveBeenCalledTimes(1);
    expect(limiter.calls).toEqual([actionBudgetKey('u-alice'), actionBudgetKey('u-alice')]);
  });

  it('spends no action budget on a read, on a send (which has its own) or on a request that fails validation', async () => {
    const limiter = new FakeRateLimiter(false);
    const handlers = { listRooms: vi.fn(async () => ({ rooms: [] })), sendMessage: vi.fn(async () => ({})), joinRoom: vi.fn() };

    const read = await dispatch(handlers, wsEvent({ body: { action: 'listRooms' } }), { actionLimiter: limiter });
    const send = await dispatch(
      handlers,
      wsEvent({ body: { action: 'sendMessage', roomId: 'r1', clientMessageId: 'c1', text: 'hi' } }),
      { actionLimiter: limiter },
    );
    const invalid = await dispatch(handlers, wsEvent({ body: { action: 'joinRoom' } }), { actionLimiter: limiter });

    expect(frameOf(read)).toMatchObject({ type: 'ack' });
    expect(frameOf(send)).toMatchObject({ type: 'ack' });
    expect(frameOf(invalid)).toMatchObject({ code: 'BAD_REQUEST' });
    expect(limiter.calls).toEqual([]);
  });

  it('refuses to build a handler that serves a changing action with no budget to spend', () => {
    expect(() => createActionHandler({ joinRoom: vi.fn() })).toThrow(/joinRoom change state but no action rate limiter/);
    expect(() => createActionHandler({ listRooms: vi.fn(), getHistory: vi.fn() })).not.toThrow();
  });

  it('refuses a request without an authorizer identity', async () => {
    const result = await dispatch({ joinRoom: vi.fn() }, wsEvent({ body: { action: 'joinRoom', roomId: 'r1' }, user: null }));
    expect(frameOf(result)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses an answer over the WebSocket message limit with an error frame and logs its action and size', async () => {
    const error = vi.spyOn(logger, 'error');
    // 'é' is 2 bytes of UTF-8: fewer characters than the limit, more bytes.
    const listMembers = vi.fn(async () => ({ members: ['é'.repeat(MAX_FRAME_BYTES / 2)] }));

    const result = await dispatch({ listMembers }, wsEvent({ body: { action: 'listMembers', roomId: 'r1', requestId: 'q-2' } }));

    expect(Buffer.byteLength(result.body)).toBeLessThan(1024);
    expect(frameOf(result)).toMatchObject({ type: 'error', code: 'RESPONSE_TOO_LARGE', requestId: 'q-2', action: 'listMembers' });
    expect(error).toHaveBeenCalledWith(
      'response too large',
      expect.objectContaining({ action: 'listMembers', bytes: expect.any(Number), maxBytes: MAX_FRAME_BYTES }),
    );
    const { bytes } = error.mock.calls.find(([message]) => message === 'response too large')![1] as { bytes: number };
    expect(bytes).toBeGreaterThan(MAX_FRAME_BYTES);
    error.mockRestore();
  });

  it('sends an answer just within the limit', async () => {
    const envelope = JSON.stringify({ type: 'ack', action: 'listMembers', data: { members: [''] } }).length;
    const listMembers = vi.fn(async () => ({ members: ['a'.repeat(MAX_FRAME_BYTES - envelope)] }));

    const result = await dispatch({ listMembers }, wsEvent({ body: { action: 'listMembers', roomId: 'r1' } }));

    expect(Buffer.byteLength(result.body)).toBe(MAX_FRAME_BYTES);
    expect(frameOf(result)).toMatchObject({ type: 'ack' });
  });
});
