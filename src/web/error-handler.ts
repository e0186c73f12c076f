// The one Express error handler. Exposed errors (DomainError with expose, or HTTP errors
// such as a malformed body) answer with their message; anything else answers with a
// generic message and an error id that is logged with the error, never a stack trace.
// A database that does not answer in time (or whose connection broke) is 503 with
// Retry-After, whatever layer the driver's error came through.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { DatabaseUnavailable, DomainError, ValidationError } from '../errors.js';
import { translateDatabaseError } from '../db/unavailable.js';
import { html } from '../html.js';
import type { Logger } from '../logger.js';
import { page } from './layout.js';

interface HttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message: string;
  type?: string;
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const { status, code, message, fields } = describe(err, logger);
    if (status === 503) res.set('Retry-After', String(DatabaseUnavailable.retryAfterSeconds));
    const prefersHtml = req.accepts(['json', 'html']) === 'html';
    res.status(status);
    if (prefersHtml) {
      res.type('html').send(page(status >= 500 ? 'Something went wrong' : 'Cannot continue', html`<h1>${status >= 500 ? 'Something went wrong' : 'Cannot continue'}</h1><p>${message}</p><p><a href="/">Back to the start</a></p>`));
    } else {
      res.json({ error: code, message, ...(fields ? { fields } : {}) });
    }
  };
}

export function describe(thrown: unknown, logger: Logger): { status: number; code: string; message: string; fields?: Record<string, string> } {
  const err = translateDatabaseError(thrown);
  if (err instanceof DatabaseUnavailable) logger.warn({ err: err.cause ?? err }, 'database unavailable');
  if (err instanceof DomainError && err.expose) {
    return { status: err.status, code: err.code, message: err.message, fields: err instanceof ValidationError ? err.fields : undefined };
  }
  const httpError = err as HttpError;
  const status = httpError?.status ?? httpError?.statusCode;
  if (status && status >= 400 && status < 500 && httpError.expose) {
    return { status, code: httpError.type?.replace(/\./g, '_') ?? 'bad_request', message: httpError.message };
  }
  const errorId = randomUUID();
  logger.error({ err, errorId }, 'unexpected error');
  const unavailable = err instanceof DomainError && err.status === 503;
  return {
    status: unavailable ? 503 : 500,
    code: unavailable ? 'unavailable' : 'server_error',
    message: `An unexpected error occurred. Quote error id ${errorId} to your administrator.`,
  };
}
