import { ParleyError } from '../errors';

/**
 * The model could not be reached or refused the call before saying anything.
 * `retryable` is true for throttling and transient service failures, false
 * for what a retry cannot fix (an unknown model, missing access, a bad request).
 */
export class ModelUnavailableError extends ParleyError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelUnavailableError';
  }
}

/** The reply stream broke after it had started. */
export class ModelStreamError extends ParleyError {
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelStreamError';
  }
}

/** A job message that is not a job Parley wrote; retrying cannot fix it. */
export class InvalidJobError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidJobError';
  }
}
