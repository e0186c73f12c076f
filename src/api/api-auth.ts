// Who calls the management API, named by a live access token issued for the API (checked by
// the provider, oidc/api-token-verifier.ts): a machine application, acting with its
// permission set ∩ what the admin who granted it holds now (clients/api-grant.ts), under
// the application's name in the audit trail — a stopped application (its admin deactivated
// or deleted) is refused like a stopped SCIM token, with the reason; or a person through an
// application they allowed, acting as themselves with their current permissions ∩ the
// allowed scopes' (person-caller.ts).
import type { Request } from 'express';
import type { Services } from '../services.js';
import { apiStanding } from '../clients/api-grant.js';
import type { ApiTokenVerifier } from '../clients/api-scopes.js';
import { problem, type Problem } from './problem.js';
import { personCaller } from './person-caller.js';
import { apiContext, type ApiCaller } from './api-caller.js';

export type { ApiTokenVerifier, ApiCaller };

export async function apiCaller(services: Services, verify: ApiTokenVerifier, req: Request): Promise<ApiCaller | Problem> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match) return problem('invalid_token', 401, 'Send a management API access token in the Authorization header (Bearer).');
  const checked = await verify(match[1]!);
  if ('refused' in checked) return problem('invalid_token', 401, checked.refused);
  const client = await services.clients.get(checked.clientId).catch(() => null);
  if (!client?.api) return problem('invalid_token', 401, 'The application this token was issued to is not registered for the management API.');
  if (checked.accountId) return personCaller(services, req, client, checked.accountId, checked.scopes);
  const standing = await apiStanding(services.models, { name: client.name, api: client.api });
  if (standing.state === 'stopped') {
    return problem('invalid_token', 401, `The application "${client.name}" is stopped: ${standing.reason}. An administrator holding its permissions can register it again.`);
  }
  // Only scopes the registration still lists count, whatever an older token says.
  const scopes = new Set(checked.scopes.filter((s) => client.api!.scopes.includes(s)));
  return { clientId: checked.clientId, ctx: apiContext(req, { userId: null, label: client.name, permissions: new Set(standing.effective), ...(client.api.grantedById ? { boundBy: { id: client.api.grantedById, label: client.api.grantedBy } } : {}) }), scopes, corsOrigins: client.corsOrigins };
}
