// CORS for /api/v1 (Fetch standard): off unless an application lists browser origins
// (Applications page or API, `corsOrigins`). A preflight from a listed origin is answered
// here; an actual request gets the CORS headers, and the router then requires that the
// token's own application lists that origin (`originRefusal`), so one application's origin
// cannot spend another's tokens. Requests without Origin (servers) are not affected.
import type { Request, RequestHandler } from 'express';
import type { Services } from '../services.js';
import { problem, sendProblem, type Problem } from './problem.js';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match';
const EXPOSED_HEADERS = 'ETag, Location, RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, X-Request-Id';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The Origin of a cross-origin browser request, or null (no Origin, or our own). */
function crossOrigin(req: Request, publicUrl: string): string | null {
  const origin = req.get('origin');
  return origin && origin !== new URL(publicUrl).origin ? origin : null;
}

export function apiCors(services: Services): RequestHandler {
  return async (req, res, next) => {
    try {
      const origin = crossOrigin(req, services.config.publicUrl);
      if (!origin) return next();
      res.vary('Origin');
      const listed = (await services.clients.list()).some((c) => c.corsOrigins.includes(origin));
      const preflight = req.method === 'OPTIONS' && !!req.get('access-control-request-method');
      if (!listed) {
        if (preflight) return sendProblem(res, problem('forbidden', 403, `No application lists the origin ${origin} for the management API.`));
        return next();
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (!preflight) return next();
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  };
}

/** A browser request from an origin the token's application does not list: refused. */
export function originRefusal(req: Request, publicUrl: string, clientOrigins: readonly string[]): Problem | null {
  const origin = crossOrigin(req, publicUrl);
  if (!origin || clientOrigins.includes(origin)) return null;
  return problem('forbidden', 403, `The application this token belongs to does not list the origin ${origin}.`, { code: 'origin_not_allowed' });
}
