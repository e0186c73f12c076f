// Domain errors carry a stable code, the HTTP status an edge should answer with, and
// whether their message may be shown to the caller (`expose`), after oidc-provider's
// lib/helpers/errors.js. Each edge (pages, SCIM, OIDC) converts them to its own format.
export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly expose: boolean = true,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input failed validation; `fields` maps each bad field to a message for beside it. */
export class ValidationError extends DomainError {
  constructor(
    readonly fields: FieldErrors,
    message = 'Some fields need attention: ' + Object.values(fields).join(' '),
  ) {
    super('validation_failed', message, 400);
  }
}

export class NotFound extends DomainError {
  constructor(message = 'Not found') {
    super('not_found', message, 404);
  }
}

export class Forbidden extends DomainError {
  constructor(
    message = 'You do not have permission to do that',
    readonly permission?: string,
  ) {
    super('forbidden', message, 403);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'Sign-in required') {
    super('unauthorized', message, 401);
  }
}

/** A uniqueness rule was broken (username, email, externalId, role name). */
export class Conflict extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('conflict', message, 409);
  }
}

/** The request is understood but the resource's state forbids it (e.g. deactivate an inactive user). */
export class InvalidTransition extends DomainError {
  constructor(message: string) {
    super('invalid_transition', message, 409);
  }
}

/** A link or token that existed but can no longer be used. */
export class Gone extends DomainError {
  constructor(message: string) {
    super('gone', message, 410);
  }
}

/** "Seat limit reached: U of L <pool> seats in use". */
export class SeatLimitReached extends DomainError {
  constructor(
    readonly pool: string,
    readonly used: number,
    readonly limit: number,
  ) {
    super('seat_limit_reached', `Seat limit reached: ${used} of ${limit} ${pool} seats in use`, 403);
  }
}

/** The database or another dependency is not available. Never exposed. */
export class Unavailable extends DomainError {
  constructor(message: string) {
    super('unavailable', message, 503, false);
  }
}

/**
 * The database did not answer in time, or the connection to it broke (src/db/unavailable.ts
 * recognizes which driver errors those are). The message says only that: the driver's
 * text stays in the log. `DatabaseUnavailable.retryAfterSeconds` is what edges put in Retry-After.
 */
export class DatabaseUnavailable extends DomainError {
  static readonly retryAfterSeconds = 5;
  constructor(cause?: unknown) {
    super('unavailable', 'The service is temporarily unavailable. Try again in a few seconds.', 503, true);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
