// Bearer-token authentication (RFC 6750) for every SCIM request: the token an admin created
// (SPEC "SCIM 2.0"), looked up by its hash; a missing, unknown or revoked token answers 401
// with a SCIM error body. The directory's calls then act under the token's name.
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

/**
 * The token creator's current permissions while their account is active; a token created
 * by an operator on the command line acts with the built-in Admin role's permissions.
 */
function delegatedPermissions(services: Services, creatorId: string | null): Promise<ReadonlySet<string>> {
  return creatorId ? services.roles.permissionsOfActive(creatorId) : services.roles.builtinPermissions('admin');
}

export function bearerAuth(services: Services) {
  const baseUrl = scimBaseUrl(services.config.publicUrl);
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    try {
      const token = match ? await services.scimTokens.authenticate(match[1]!, req.ip ?? null) : null;
      if (!token) {
        return sendError(res, new ScimError(401, null, match ? 'The bearer token is not valid or has been revoked.' : 'Send a SCIM bearer token in the Authorization header.'));
      }
      req.scim = { services, ctx: scimContext(token, await delegatedPermissions(services, token.createdById), req.ip ?? null, req.id), baseUrl };
      next();
    } catch (err) {
      sendError(res, toScimError(err, services.logger));
    }
  };
}
