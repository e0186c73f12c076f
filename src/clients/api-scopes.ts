// The management API's OAuth scopes and what each lets a machine application do. A scope
// opens endpoints; what the application may then do there is its permission set (chosen at
// registration, like a SCIM token's) ∩ what the admin who granted it still holds. Listing a
// scope needs the permission it maps to in that set, so a scope never promises more than
// the set can deliver.
import type { Permission } from '../roles/permission-catalogue.js';

export const API_SCOPE_PERMISSIONS = {
  'api:users.read': 'users.view',
  'api:users.write': 'users.manage',
  'api:invitations': 'users.invite',
  'api:roles': 'roles.manage',
  'api:seats.read': 'users.view',
  'api:seats.manage': 'seats.manage',
  'api:audit.read': 'audit.view',
  'api:clients': 'clients.manage',
  'api:settings': 'settings.manage',
} as const satisfies Record<string, Permission>;

export type ApiScope = keyof typeof API_SCOPE_PERMISSIONS;
export const API_SCOPES = Object.keys(API_SCOPE_PERMISSIONS) as ApiScope[];

/** The API's path; its absolute URL is the RFC 8707 resource indicator tokens are issued for. */
export const API_PATH = '/api/v1';

export function apiResourceIndicator(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${API_PATH}`;
}

export function isApiScope(scope: string): scope is ApiScope {
  return Object.hasOwn(API_SCOPE_PERMISSIONS, scope);
}

/** What the provider says of a bearer token presented to the API (oidc/ implements the check). */
export type ApiTokenCheck = { clientId: string; scopes: string[]; /** A person's token: who allowed the scopes. */ accountId?: string } | { refused: string };

/** What each scope lets an application do as the person who allows it (the consent screen). */
export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  'api:users.read': 'See the people of your organization, as you can',
  'api:users.write': 'Create, change, deactivate and delete people, as you can',
  'api:invitations': 'Invite people and manage invitations, as you can',
  'api:roles': 'Change people\'s roles, as you can',
  'api:seats.read': 'See seat usage',
  'api:seats.manage': 'Change seat limits, as you can',
  'api:audit.read': 'Read the audit log',
  'api:clients': 'Register, change and remove applications, as you can',
  'api:settings': 'Read and change your organization\'s settings, as you can',
};

/** The permissions a set of scopes opens. */
export function permissionsOfScopes(scopes: Iterable<string>): Set<string> {
  return new Set([...scopes].filter(isApiScope).map((s) => API_SCOPE_PERMISSIONS[s]));
}
export type ApiTokenVerifier = (token: string) => Promise<ApiTokenCheck>;
