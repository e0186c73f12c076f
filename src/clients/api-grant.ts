// A machine application's grant on the management API: the scopes it may request and the
// permission set it acts with, chosen by the admin who registers it. It follows the SCIM
// tokens' model exactly (token-permissions.ts): the set is a subset of what that admin
// holds, and the application acts with set ∩ the admin's current permissions, stopping
// when the admin is deactivated or deleted.
import type { Actor, Context } from '../context.js';
import type { Models } from '../db/models.js';
import { ValidationError } from '../errors.js';
import { assertCanGrantPermissions } from '../roles/role-service.js';
import { creatorsNow } from '../scim-tokens/token-creators.js';
import { defaultPermissions, normalizeSet, standingOf, type TokenStanding } from '../scim-tokens/token-permissions.js';
import { ALL } from '../roles/authorize.js';
import { API_SCOPE_PERMISSIONS, isApiScope, permissionsOfScopes } from './api-scopes.js';

/** As stored in the client's metadata. */
export interface StoredApiGrant {
  scopes: string[];
  permissions: string[];
  granted_by: string | null;
  granted_by_label: string;
}

export interface ApiGrant {
  scopes: string[];
  permissions: string[];
  /** The admin whose current permissions bound the set; null: the command line. */
  grantedById: string | null;
  grantedBy: string;
}

/**
 * The grant a registration asks for, checked: each scope's permission inside the set, the
 * set inside what the registering actor holds. A machine application acts with the set; an
 * application people sign in to asks each person's consent for the scopes and then acts
 * with that person's permissions ∩ the scopes', so its set is exactly the scopes'
 * permissions. Null when no API scope is asked for. `current`: the set an edit starts from
 * (scopes added to it bring their permission along when the actor holds it).
 */
export function apiGrantOf(actor: Actor, input: { type: string; apiScopes?: string[]; apiPermissions?: string[] }, current?: readonly string[]): StoredApiGrant | null {
  const scopes = [...new Set(input.apiScopes ?? [])].sort();
  if (scopes.length === 0) return null;
  const unknown = scopes.filter((s) => !isApiScope(s));
  if (unknown.length) throw new ValidationError({ apiScopes: `Unknown API scope: ${unknown.join(', ')}.` });
  const needed = scopes.map((s) => API_SCOPE_PERMISSIONS[s as keyof typeof API_SCOPE_PERMISSIONS]);
  const held = needed.filter((p) => actor.permissions.has(p) || actor.permissions.has('*'));
  const chosen = input.type !== 'machine' ? needed : (input.apiPermissions ?? (current ? [...current, ...held] : [...defaultPermissions(actor), ...held]));
  const set = normalizeSet([...new Set(chosen)]);
  const uncovered = scopes.filter((s, i) => !set.includes(needed[i]!));
  if (uncovered.length) throw new ValidationError({ apiPermissions: `The permission set does not cover ${uncovered.map((s) => `${s} (${API_SCOPE_PERMISSIONS[s as keyof typeof API_SCOPE_PERMISSIONS]})`).join(', ')}.` });
  assertCanGrantPermissions(actor, set);
  // An application registering another passes on its own admin: a grant with no admin is the
  // command line's, which no account's deactivation would ever stop.
  if (!actor.userId && actor.boundBy) return { scopes, permissions: set, granted_by: actor.boundBy.id, granted_by_label: actor.boundBy.label.slice(0, 255) };
  return { scopes, permissions: set, granted_by: actor.userId, granted_by_label: actor.label.slice(0, 255) };
}

/** What the application acts with now, or why it is stopped. */
export async function apiStanding(models: Models, client: { name: string; api: ApiGrant }, ctx?: Context): Promise<TokenStanding> {
  const creators = client.api.grantedById ? await creatorsNow(models, [client.api.grantedById], ctx) : new Map();
  const creator = client.api.grantedById ? (creators.get(client.api.grantedById) ?? null) : null;
  return standingOf({ name: client.name, createdBy: client.api.grantedBy, createdById: client.api.grantedById, permissions: client.api.permissions }, creator);
}

/**
 * What a person acts with through an application they allowed: their current permissions ∩
 * the permissions of the token's scopes that the registration still lists. So such a token
 * never exceeds the person, nor the application, and follows the person's roles at once.
 */
export async function personApiStanding(
  roles: { effectivePermissionsOf(accountId: string): Promise<ReadonlySet<string>> },
  api: ApiGrant,
  accountId: string,
  tokenScopes: readonly string[],
): Promise<{ scopes: Set<string>; permissions: Set<string> }> {
  const scopes = new Set(tokenScopes.filter((s) => api.scopes.includes(s)));
  const held = await roles.effectivePermissionsOf(accountId);
  return { scopes, permissions: new Set([...permissionsOfScopes(scopes)].filter((p) => held.has(p) || held.has(ALL))) };
}
