// RFC 9457 problem details for the management API. Each domain error has a stable `type`
// (a reference to its section on the API reference page), so a client branches on `type`,
// never on the wording of `detail`. Unknown errors answer 500 with nothing of their text.
import type { Response } from 'express';
import { Conflict, DatabaseUnavailable, DomainError, SeatLimitReached, ValidationError } from '../errors.js';
import { DominanceRefused } from '../roles/dominance.js';
import type { Logger } from '../logger.js';
import { CONVENTION_PROBLEM_TITLES, CONVENTION_PROBLEM_TYPES } from './convention-problems.js';

export const PROBLEM_TYPES = {
  validation_failed: 'The request is well formed but some fields are wrong; `errors` lists each field and why.',
  bad_request: 'The request cannot be read: malformed JSON, a wrong content type, unknown or mistyped parameters.',
  bad_cursor: 'The paging cursor is not one this list handed out, or belongs to other filters.',
  payload_too_large: 'The request body is larger than the API accepts.',
  unsupported_media_type: 'The request body must be application/json.',
  invalid_token: 'No bearer token, or one that is not a live management API token.',
  insufficient_scope: 'The token lacks the OAuth scope this endpoint requires (`scope` names it).',
  forbidden: 'The application may not do this: its permission set, bounded by the admin who granted it, lacks a permission.',
  dominance_refused: 'The target account holds permissions the application does not: nobody changes someone more powerful.',
  not_found: 'No such resource.',
  conflict: 'A uniqueness rule was broken (`field` names it).',
  invalid_transition: 'The resource is in a state that does not allow this (for example, deactivating an inactive account).',
  gone: 'The resource existed but can no longer be used.',
  seat_limit_reached: 'The seat pool is full; `pool`, `used` and `limit` say which and how full.',
  unavailable: 'The service is temporarily unavailable; retry after `Retry-After` seconds.',
  server_error: 'An unexpected error; the request id in X-Request-Id finds it in the logs.',
  ...CONVENTION_PROBLEM_TYPES,
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export function problemTypeUri(type: ProblemType): string {
  return `/api/docs#problem-${type}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const TITLES: Record<ProblemType, string> = {
  validation_failed: 'Validation failed',
  bad_request: 'Bad request',
  bad_cursor: 'Bad cursor',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  invalid_token: 'Invalid token',
  insufficient_scope: 'Insufficient scope',
  forbidden: 'Forbidden',
  dominance_refused: 'Refused by the dominance rule',
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid_transition: 'Invalid transition',
  gone: 'Gone',
  seat_limit_reached: 'Seat limit reached',
  unavailable: 'Service unavailable',
  server_error: 'Server error',
  ...CONVENTION_PROBLEM_TITLES,
};

const BY_STATUS: Record<number, ProblemType> = { 401: 'invalid_token', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'gone' };

export function problem(type: ProblemType, status: number, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: problemTypeUri(type), title: TITLES[type], status, detail, ...extensions };
}

/** A domain error as problem details; anything unexpected is logged and answered as 500. */
export function problemOf(err: unknown, logger: Logger): Problem {
  if (err instanceof SeatLimitReached) return problem('seat_limit_reached', 403, err.message, { pool: err.pool, used: err.used, limit: err.limit });
  if (err instanceof ValidationError) {
    return problem(err.fields.cursor ? 'bad_cursor' : 'validation_failed', 400, err.message, { errors: Object.entries(err.fields).map(([field, message]) => ({ field, message })) });
  }
  if (err instanceof DominanceRefused) return problem('dominance_refused', 403, err.message);
  if (err instanceof Conflict) return problem('conflict', 409, err.message, err.field ? { field: err.field } : {});
  if (err instanceof DatabaseUnavailable) return problem('unavailable', 503, err.message);
  if (err instanceof DomainError && err.expose && err.code in PROBLEM_TYPES) return problem(err.code as ProblemType, err.status, err.message);
  // Other exposed domain errors keep their own code beside the type their status implies.
  if (err instanceof DomainError && err.expose && err.status < 500) return problem(BY_STATUS[err.status] ?? 'bad_request', err.status, err.message, { code: err.code });
  logger.error({ err }, 'management API error');
  if (err instanceof DomainError && err.status === 503) return problem('unavailable', 503, 'The service is temporarily unavailable.');
  return problem('server_error', 500, 'Something went wrong. The request id in X-Request-Id finds it in the logs.');
}

export function sendProblem(res: Response, p: Problem): void {
  if (p.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', String(DatabaseUnavailable.retryAfterSeconds));
  if (p.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="gatehouse-api", error="invalid_token"');
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}
