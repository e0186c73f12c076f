// Bearer-token authentication (RFC 6750) for every SCIM request: the token an admin created,
// looked up by its hash; a missing, unknown, revoked or stopped token
// answers 401 with a SCIM error body whose detail says which. The directory's calls then
// act under the token's name with the token's effective permissions.
import type { NextFunction, Request, Response } from 'express';
import type { Services } from '../../src/services.js';
import { ScimError, toScimError } from '../errors.js';
import { scimBaseUrl, scimContext, type ScimCall } from '../context.js';
import { sendError } from './responses.js';

declare module 'express-serve-static-core' {
  interface Request {
    scim?: ScimCall;
  }
}

export function bearerAuth(services: Services) {
  const baseUrl = scimBaseUrl(services.config.publicUrl);
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    try {
      const found = match ? await services.scimTokens.authenticate(match[1]!, req.ip ?? null) : null;
      if (!found) {
        return sendError(res, new ScimError(401, null, match ? 'The bearer token is not valid or has been revoked.' : 'Send a SCIM bearer token in the Authorization header.'));
      }
      if ('stopped' in found) return sendError(res, new ScimError(401, null, found.stopped));
      req.scim = { services, ctx: scimContext(found.token, found.permissions, req.ip ?? null, req.id), baseUrl };
      next();
    } catch (err) {
      sendError(res, toScimError(err, services.logger));
    }
  };
}
