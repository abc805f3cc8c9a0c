import { describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../lambdas/shared/ws-action';
import { FakeRateLimiter } from '../../support/fakes/chat';
import { wsEvent } from '../../support/events';

const frameOf = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

/** An event on a guest connection admitted to room r1. */
const guestEvent = (body: object) => {
  const event = wsEvent({ body, user: { userId: 'guest-abc', displayName: 'Ada (guest)' } });
  (event.requestContext as unknown as { authorizer: Record<string, unknown> }).authorizer['guestRoomId'] = 'r1';
  return event;
};

const budget = { actionLimiter: new FakeRateLimiter(true) };

describe('dispatch on a guest connection', () => {
  it('runs a guest action in the guest’s room', async () => {
    const getHistory = vi.fn(async () => ({ items: [] }));

    const frame = frameOf(await dispatch({ getHistory }, guestEvent({ action: 'getHistory', roomId: 'r1' }), budget));

    expect(frame).toMatchObject({ type: 'ack', action: 'getHistory' });
    expect(getHistory).toHaveBeenCalledOnce();
  });

  it('refuses another room with FORBIDDEN and runs nothing', async () => {
    const getHistory = vi.fn(async () => ({ items: [] }));

    const frame = frameOf(await dispatch({ getHistory }, guestEvent({ action: 'getHistory', roomId: 'r2' }), budget));

    expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'A guest may act only in the room their guest token is for.' });
    expect(getHistory).not.toHaveBeenCalled();
  });

  it('refuses actions guests do not have, before spending any budget', async () => {
    const createRoom = vi.fn(async () => ({}));
    const limiter = new FakeRateLimiter(true);

    const frame = frameOf(await dispatch({ createRoom }, guestEvent({ action: 'createRoom', name: 'Mine', visibility: 'public' }), { actionLimiter: limiter }));

    expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'Guests cannot use createRoom; sign in to do that.' });
    expect(createRoom).not.toHaveBeenCalled();
    expect(limiter.calls).toEqual([]);
  });
});
