// SCIM errors (RFC 7644 §3.12): every failure leaves as a SCIM error body with the right
// status and scimType. Domain errors are mapped here; scimmy's default
// of turning any other error into 404 is never reached, and nothing unexpected leaves with
// more than an error id (the error itself goes to the log).
import { randomUUID } from 'node:crypto';
import { BaseError as SequelizeBaseError, ConnectionError, TimeoutError, UniqueConstraintError } from 'sequelize';
import SCIMMY from 'scimmy';
import { Conflict, DatabaseUnavailable, DomainError, Forbidden, InvalidTransition, NotFound, SeatLimitReached, Unauthorized, ValidationError } from '../src/errors.js';
import { translateDatabaseError } from '../src/db/unavailable.js';
import type { Logger } from '../src/logger.js';
import { ERROR_URN } from './urns.js';

export type ScimType =
  | 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax'
  | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_URN];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function errorBody(err: ScimError): ScimErrorBody {
  return { schemas: [ERROR_URN], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.detail };
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);

/** Maps any thrown value to the SCIM error the client sees. */
export function toScimError(thrown: unknown, logger: Logger): ScimError {
  if (thrown instanceof ScimError) return thrown;
  const err = translateDatabaseError(thrown);
  if (err instanceof DatabaseUnavailable) logger.warn({ err: err.cause ?? err }, 'SCIM request failed: database unavailable');
  if (err instanceof SCIMMY.Types.Error) return new ScimError(Number(err.status) || 400, (err.scimType as ScimType) ?? null, err.message);
  if (err instanceof SeatLimitReached) return new ScimError(403, null, err.message);
  if (err instanceof ValidationError) return new ScimError(400, 'invalidValue', err.message);
  if (err instanceof Conflict) return new ScimError(409, 'uniqueness', err.message);
  if (err instanceof NotFound) return new ScimError(404, null, err.message);
  if (err instanceof Forbidden) return new ScimError(403, null, err.message);
  if (err instanceof Unauthorized) return new ScimError(401, null, err.message);
  if (err instanceof InvalidTransition) return new ScimError(409, null, err.message);
  if (err instanceof DomainError && err.expose) return new ScimError(err.status, null, err.message);
  // Two directories (or two parallel requests) creating the same group name at once: the
  // unique index decides, and the loser hears "uniqueness" like any other duplicate.
  if (err instanceof UniqueConstraintError) return new ScimError(409, 'uniqueness', 'A resource with the same unique value already exists.');
  const errorId = randomUUID();
  // A database that is down or overloaded is "unavailable", never "not found" (scimmy's 404).
  const unavailable = (err instanceof DomainError && err.status === 503) || err instanceof ConnectionError || err instanceof TimeoutError;
  logger.error({ err, errorId }, unavailable ? 'SCIM request failed: service unavailable' : 'SCIM request failed unexpectedly');
  if (unavailable) return new ScimError(503, null, `The service is temporarily unavailable; try again later (error id ${errorId}).`);
  const database = err instanceof SequelizeBaseError;
  return new ScimError(500, null, `An unexpected ${database ? 'database ' : ''}error occurred (error id ${errorId}).`);
}
