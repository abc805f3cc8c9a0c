import { ParleyError } from '../domain/errors';
import type { Frame } from '../domain/protocol';

/** The error frame for a failure: client errors say why, anything else stays generic. */
export function errorFrame(error: unknown, requestId?: string, action?: string): Frame & { type: 'error' } {
  const known = error instanceof ParleyError && error.exposeMessage;
  return {
    type: 'error',
    code: known ? error.code : 'INTERNAL',
    message: known ? error.message : 'Something went wrong on our side; the request was not applied.',
    ...(requestId !== undefined ? { requestId } : {}),
    ...(action !== undefined ? { action } : {}),
  };
}
