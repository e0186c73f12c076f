// The pages' side of the NUL rule (src/nul-character.ts): a URL or form field carrying
// U+0000 is answered 400 before any route reads it.
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors.js';
import { hasNul, NUL_MESSAGE, urlHasNul } from '../nul-character.js';

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
