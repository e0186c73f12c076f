// What every SCIM handler works with: the services, the domain Context of the directory
// that calls (its token's name is the actor label in the audit trail), and where resources
// live for `meta.location` and `Location` (from PUBLIC_URL, never the Host header).
import type { Context } from '../src/context.js';
import type { Services } from '../src/services.js';
import type { ScimTokenView } from '../src/scim-tokens/scim-token-service.js';

export interface ScimCall {
  services: Services;
  ctx: Context;
  /** e.g. https://id.example.com/scim/v2 */
  baseUrl: string;
}

/**
 * A directory acts with its token's permission set, less what the token's creator no
 * longer holds (ScimTokenService.authenticate): it can do what its creator chose to let it
 * do and could still do themselves (nobody grants what they do not hold).
 */
export function scimContext(token: ScimTokenView, permissions: ReadonlySet<string>, ip: string | null, requestId?: string): Context {
  return {
    actor: { userId: null, label: token.name, permissions: new Set(permissions) },
    source: 'scim',
    ip,
    requestId,
    connectionId: token.connectionId,
  };
}

export function scimBaseUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/scim/v2`;
}
