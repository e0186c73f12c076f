// U+0000 is never part of anything a person types or a directory sends, and it ends a
// string in SQLite's SQL text (Sequelize writes values into the statement there, so a
// NUL inside an id or a name breaks the statement instead of matching nothing). A request
// carrying one anywhere — URL, query, form field — is refused before any of it reaches a
// service. The SCIM edge applies the same test and answers in SCIM's format.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors.js';

export const NUL_MESSAGE = 'The request contains a NUL character (U+0000), which no field accepts.';

/** Whether a URL (raw, percent-encoded) names a NUL character. */
export function urlHasNul(url: string): boolean {
  return /%00|\u0000/i.test(url);
}

/** Whether any string in a parsed body (strings, arrays, objects; walked without recursion) holds a NUL. */
export function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') for (const [key, item] of Object.entries(v)) stack.push(key, item);
  }
  return false;
}

export class NulRefused extends DomainError {
  constructor() {
    super('nul_refused', NUL_MESSAGE, 400);
  }
}

export function refuseNulInUrl() {
  return (req: Request, _res: Response, next: NextFunction) => next(urlHasNul(req.originalUrl) ? new NulRefused() : undefined);
}

/** After the body parsers: form fields (and an uploaded file's name) must hold no NUL. */
export function refuseNulInBody() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fields = body && typeof body === 'object' ? Object.entries(body).map(([k, v]) => [k, isUpload(v) ? v.fileName : v]) : [];
    next(hasNul(fields) ? new NulRefused() : undefined);
  };
}

function isUpload(v: unknown): v is { fileName: string; data: Buffer } {
  return !!v && typeof v === 'object' && Buffer.isBuffer((v as { data?: unknown }).data);
}
