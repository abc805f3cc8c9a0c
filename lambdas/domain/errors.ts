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
  | 'RESPONSE_TOO_LARGE'
  | 'WEBHOOK_TARGET_INVALID'
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

/**
 * The answer to a request would not fit in one WebSocket message (API
 * Gateway's 128 KB). Nothing is sent but this error; pages are cut to fit
 * long before, so it means an item too large for any frame.
 */
export class ResponseTooLargeError extends ClientError {
  override readonly code = 'RESPONSE_TOO_LARGE';
  constructor(bytes: number, maxBytes: number) {
    super(`The answer would take ${bytes} bytes, over the ${maxBytes} one WebSocket message may carry; ask for less.`);
    this.name = 'ResponseTooLargeError';
  }
}

/** A frame too large to post through the management API: it is not sent, and the post counts as failed. */
export class FrameTooLargeError extends ParleyError {
  constructor(bytes: number, maxBytes: number) {
    super(`A frame of ${bytes} bytes is over the ${maxBytes} a WebSocket message may carry.`);
    this.name = 'FrameTooLargeError';
  }
}

/** A webhook's target URL Parley will not call: not https, a private address, credentials in it… (docs/webhooks.md). */
export class WebhookTargetError extends ClientError {
  override readonly code = 'WEBHOOK_TARGET_INVALID';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`The webhook target is refused: ${reason}`, options);
    this.name = 'WebhookTargetError';
  }
}
