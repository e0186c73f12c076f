// /api/v1: the management API. Per request: the bearer token (api-auth.ts), the operation's
// scope, its path, query and body validated against the operation's schemas, then one
// domain call; every refusal is RFC 9457 problem+json. The OpenAPI document at
// /api/v1/openapi.json is printed from the same operations.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { ValidationError } from '../errors.js';
import { apiCaller, type ApiTokenVerifier } from './api-auth.js';
import { openApiDocument } from './openapi.js';
import { OPERATIONS } from './operations.js';
import type { ApiAnswer, Operation } from './operation.js';
import { problem, problemOf, sendProblem, type Problem } from './problem.js';
import { check, validatorsFor } from './request-validation.js';
import { failedPrecondition, idempotently, rateLimited, withEtag } from './api-conventions.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { ApiRateLimiter } from './rate-limit.js';
import { apiCors, originRefusal } from './api-cors.js';

/** The largest JSON body the API reads (an invitation of 100 rows of 1,000 addresses fits). */
export const API_BODY_LIMIT = '1mb';

function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function isProblem(value: unknown): value is Problem {
  return !!value && typeof value === 'object' && 'status' in value && 'title' in value;
}

/** body-parser's refusals (malformed JSON, too large, bad charset) as problems, never 500. */
function bodyParserProblem(err: { type?: string; status?: number; expose?: boolean }): Problem | null {
  if (err.type === 'entity.too.large') return problem('payload_too_large', 413, `The body is larger than ${API_BODY_LIMIT}.`);
  if (err.type === 'entity.parse.failed') return problem('bad_request', 400, 'The body is not valid JSON.');
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') return problem('unsupported_media_type', 415, 'Send the body as UTF-8 application/json.');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) return problem('bad_request', err.status, 'The request cannot be read.');
  return null;
}

function hasBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

/** A streamed answer: once rows went out the status cannot change, so a failure ends it early (visibly incomplete). */
async function streamed(res: Response, answer: ApiAnswer, logger: Services['logger']): Promise<void> {
  res.status(answer.status);
  try {
    await answer.stream!(res);
  } catch (err) {
    logger.warn({ err }, 'management API stream ended early');
    res.destroy();
  }
}

export function apiRouter(services: Services, verify: ApiTokenVerifier | null): Router {
  const router = Router();
  const { logger } = services;
  const document = openApiDocument(OPERATIONS, services.config.publicUrl);
  const limiter = new ApiRateLimiter(services.config.apiRateLimit, services.clock);
  const idempotencyKeys = new IdempotencyKeys(services.models, services.clock, services.secrets);
  router.use(apiCors(services));

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(JSON.stringify(document));
  });

  router.use(express.json({ limit: API_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));

  const handle = (op: Operation) => {
    const validators = validatorsFor(op);
    return async (req: Request, res: Response) => {
      try {
        if (!verify) return sendProblem(res, problem('unavailable', 503, 'The token service is not running in this process.'));
        const caller = await apiCaller(services, verify, req);
        if (isProblem(caller)) return sendProblem(res, caller);
        const overLimit = rateLimited(limiter, caller.clientId, res);
        if (overLimit) return sendProblem(res, overLimit);
        const wrongOrigin = originRefusal(req, services.config.publicUrl, caller.corsOrigins);
        if (wrongOrigin) return sendProblem(res, wrongOrigin);
        if (!caller.scopes.has(op.scope)) {
          res.setHeader('WWW-Authenticate', `Bearer realm="gatehouse-api", error="insufficient_scope", scope="${op.scope}"`);
          return sendProblem(res, problem('insufficient_scope', 403, `This endpoint needs the scope ${op.scope}.`, { scope: op.scope }));
        }
        if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
          return sendProblem(res, problem('unsupported_media_type', 415, 'Send the body as application/json.'));
        }
        if (!op.body && hasBody(req) && req.body !== undefined && !(typeof req.body === 'object' && Object.keys(req.body as object).length === 0)) {
          throw new ValidationError({ body: 'This endpoint takes no body.' });
        }
        const params = check(validators.params, 'params', { ...req.params } as Record<string, string>);
        const query = check(validators.query, 'query', { ...(req.query as Record<string, unknown>) });
        const body = op.body ? check(validators.body, 'body', req.body === undefined ? {} : req.body) : undefined;
        const call = { services, ctx: caller.ctx, req, params, query, body };
        const refused = await failedPrecondition(op, call);
        if (refused) return sendProblem(res, refused);
        const outcome = await idempotently(idempotencyKeys, op, caller.clientId, call, async () => withEtag(op, call, await op.handler(call), req));
        if (isProblem(outcome)) return sendProblem(res, outcome);
        const answer = outcome;
        for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
        res.setHeader('Cache-Control', 'no-store');
        if (answer.stream) await streamed(res, answer, logger);
        else if (answer.body === undefined) res.status(answer.status).end();
        else res.status(answer.status).type('application/json').send(JSON.stringify(answer.body));
      } catch (err) {
        sendProblem(res, problemOf(err, logger));
      }
    };
  };

  for (const op of OPERATIONS) router[op.method](expressPath(op.path), handle(op));

  router.use((req, res) => sendProblem(res, problem('not_found', 404, `There is no endpoint ${req.method} ${req.baseUrl}${req.path}.`)));
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendProblem(res, bodyParserProblem(err as { type?: string }) ?? problemOf(err, logger));
  });
  return router;
}
