// Gives every request an id (kept from a sane X-Request-Id, else new), runs the rest of
// the request inside the logging scope that stamps it on every log line, and builds the
// domain Context pages hand to services.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Actor, Context, Source } from '../context.js';
import { runWithRequestId, type Logger } from '../logger.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const ANONYMOUS: Actor = { userId: null, label: 'anonymous', permissions: new Set() };

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    actor?: Actor;
  }
}

export function requestIds(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    req.id = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    runWithRequestId(req.id, () => {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // The path only: query strings may carry tokens (setup, invitation links).
        logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
      next();
    });
  };
}

export function contextOf(req: Request, source: Source): Context {
  return { actor: req.actor ?? ANONYMOUS, source, ip: req.ip ?? null, requestId: req.id };
}
