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
 * A directory may read and manage accounts and groups (= roles). Beyond that it acts with
 * the permissions of the admin who created its token (while that account is active), so it
 * can fill the groups that admin could fill and no more (SPEC "Roles": nobody grants what
 * they do not hold); it never gets the owner role, which no grant can give.
 */
export const SCIM_PERMISSIONS: readonly string[] = ['users.view', 'users.manage', 'roles.manage'];

export function scimContext(token: ScimTokenView, delegated: ReadonlySet<string>, ip: string | null, requestId?: string): Context {
  return {
    actor: { userId: null, label: token.name, permissions: new Set([...SCIM_PERMISSIONS, ...delegated]) },
    source: 'scim',
    ip,
    requestId,
  };
}

export function scimBaseUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/scim/v2`;
}
