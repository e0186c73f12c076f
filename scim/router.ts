// The SCIM 2.0 service at /scim/v2 (RFC 7644): bearer authentication,
// SCIM JSON bodies, then one route per endpoint, each a thin call into the handlers.
//
// Routing is Gatehouse's own rather than scimmy-routers' (why: docs/decisions.md): errors,
// ETags, paging and PATCH must follow the database and the write's transaction. The
// schemas are Gatehouse's own attribute declarations (scim/schema/): inbound validation,
// filters and the /Schemas documents come from them.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../src/services.js';
import type { ScimCall } from './context.js';
import { invalidValue, ScimError, toScimError } from './errors.js';
import { NUL_MESSAGE, urlHasNul } from '../src/nul-character.js';
import { bearerAuth } from './http/bearer-auth.js';
import { scimBody } from './http/body.js';
import { sendError, sendResult, type ResourceResult } from './http/responses.js';
import { attributeParams, listParams, searchParams } from './list/list-params.js';
import { RESOURCE_TYPES } from './resources.js';
import { runBulk } from './bulk.js';
import { searchAll } from './search.js';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.js';

type Route = (call: ScimCall, req: Request) => Promise<ResourceResult> | ResourceResult;

/** Reads req.query once and keeps that object: Express 5 recomputes it on every access. */
/** The URL (path and query) must name no NUL character (src/nul-character.ts says why). */
function refuseNul(req: Request, res: Response, next: NextFunction): void {
  if (urlHasNul(req.originalUrl)) return sendError(res, invalidValue(NUL_MESSAGE));
  next();
}

function freezeQuery(req: Request, _res: Response, next: NextFunction): void {
  const query = { ...(req.query as Record<string, unknown>) };
  Object.defineProperty(req, 'query', { value: query, writable: false, configurable: true, enumerable: true });
  next();
}

export function scimRouter(services: Services): Router {
  const router = express.Router();
  const route = (fn: Route) => async (req: Request, res: Response) => {
    try {
      sendResult(res, await fn(req.scim!, req));
    } catch (err) {
      sendError(res, toScimError(err, services.logger));
    }
  };
  const query = (req: Request) => req.query as Record<string, unknown>;
  const header = (req: Request, name: string) => req.get(name) ?? undefined;
  const id = (req: Request) => String(req.params.id);

  router.use(refuseNul);
  router.use(freezeQuery);
  router.use(bearerAuth(services));
  router.use(scimBody());

  router.get('/ServiceProviderConfig', route((call) => serviceProviderConfig(call)));
  router.get('/ResourceTypes', route((call) => resourceTypes(call)));
  router.get('/ResourceTypes/:id', route((call, req) => resourceTypes(call, id(req))));
  router.get('/Schemas', route((call) => schemas(call)));
  router.get('/Schemas/:id', route((call, req) => schemas(call, id(req))));
  // RFC 7644 §3.11: /Me is optional; accounts provisioned here are not SCIM clients.
  router.all(['/Me', '/Me/*rest'], route(() => Promise.reject(new ScimError(501, null, 'The /Me endpoint is not implemented.'))));
  router.post('/Bulk', route((call, req) => runBulk(call, req.body)));
  router.post('/.search', route((call, req) => searchAll(call, searchParams(req.body))));

  for (const type of RESOURCE_TYPES) {
    const base = type.endpoint;
    router.get(base, route((call, req) => type.list(call, listParams(query(req)))));
    router.post(`${base}/.search`, route((call, req) => type.list(call, searchParams(req.body))));
    router.get(`${base}/:id`, route((call, req) => type.get(call, id(req), attributeParams(query(req)), header(req, 'if-none-match'))));
    router.post(base, route((call, req) => type.create(call, req.body, attributeParams(query(req)))));
    router.put(`${base}/:id`, route((call, req) => type.replace(call, id(req), req.body, header(req, 'if-match'), attributeParams(query(req)))));
    router.patch(`${base}/:id`, route((call, req) => type.patch(call, id(req), req.body, header(req, 'if-match'), attributeParams(query(req)))));
    router.delete(`${base}/:id`, route((call, req) => type.remove(call, id(req), header(req, 'if-match'))));
  }

  router.use((req: Request, res: Response) => sendError(res, new ScimError(404, null, `There is no SCIM endpoint ${req.method} ${req.path}.`)));
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendError(res, toScimError(err, services.logger));
  });
  return router;
}
