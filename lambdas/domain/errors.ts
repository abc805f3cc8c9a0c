/**
 * Errors of the Parley domain. Each carries a stable client `code`; the edge
 * maps them to error frames. Only errors with `exposeMessage` show their
 * message to the client; anything else becomes a generic INTERNAL error.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'MALFORMED_JSON'
  | 'UNKNOWN_ACTION'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export class ParleyError extends Error {
  readonly code: ErrorCode = 'INTERNAL';
  readonly exposeMessage: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParleyError';
  }
}

abstract class ClientError extends ParleyError {
  override readonly exposeMessage = true;
}

export class ValidationError extends ClientError {
  override readonly code = 'BAD_REQUEST';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationError';
  }
}

export class MalformedJsonError extends ClientError {
  override readonly code = 'MALFORMED_JSON';
  constructor(options?: { cause?: unknown }) {
    super('The frame is not valid JSON.', options);
    this.name = 'MalformedJsonError';
  }
}

export class UnknownActionError extends ClientError {
  override readonly code = 'UNKNOWN_ACTION';
  constructor(action: unknown) {
    super(
      typeof action === 'string' && action.length > 0
        ? `Unknown action "${action.slice(0, 64)}".`
        : 'The frame has no "action" field.',
    );
    this.name = 'UnknownActionError';
  }
}

export class PayloadTooLargeError extends ClientError {
  override readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnauthorizedError extends ClientError {
  override readonly code = 'UNAUTHORIZED';
  constructor(message = 'Not signed in.', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }
}

/**
 * The token the connection was opened with has expired. API Gateway checks a
 * token only when the connection opens, so Parley refuses every later action
 * itself; the client reconnects with a fresh token.
 */
export class SessionExpiredError extends ClientError {
  override readonly code = 'SESSION_EXPIRED';
  constructor() {
    super('Your sign-in has expired: reconnect with a new token.');
    this.name = 'SessionExpiredError';
  }
}

export class PermissionError extends ClientError {
  override readonly code = 'FORBIDDEN';
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

export class NotFoundError extends ClientError {
  override readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends ClientError {
  override readonly code = 'CONFLICT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

export class RateLimitedError extends ClientError {
  override readonly code = 'RATE_LIMITED';
  constructor(message = 'Too many messages; slow down and retry shortly.') {
    super(message);
    this.name = 'RateLimitedError';
  }
}
