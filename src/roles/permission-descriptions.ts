// What each catalogue permission allows, in words, grouped by area: the Roles page shows
// it beside every permission, and a refused page says who may open it
// ("Only people who may change settings can open this page") instead of naming strings.
import type { Permission } from './permission-catalogue.js';

export interface PermissionDescription {
  /** What a holder may do, as a sentence on the Roles page. */
  description: string;
  /** The same as a verb phrase after "people who may …". */
  may: string;
}

export const PERMISSION_DESCRIPTIONS: Record<Permission, PermissionDescription> = {
  'users.view': { description: 'See people, their roles and the seat usage.', may: 'see the people of this organization' },
  'users.invite': { description: 'Invite people by email or shareable link, and manage invitations.', may: 'invite people' },
  'users.manage': { description: 'Add, edit, deactivate and delete accounts (only accounts holding no more than they do).', may: 'manage accounts' },
  'roles.manage': { description: 'Create roles, change their permissions and delete them.', may: 'manage roles' },
  'settings.manage': { description: 'Change organization settings and the sign-in providers.', may: 'change settings' },
  'audit.view': { description: 'Read and export the audit log.', may: 'read the audit log' },
  'clients.manage': { description: 'Register applications and change their redirect addresses and secrets.', may: 'manage applications' },
  'scim.manage': { description: 'Create and revoke SCIM tokens for directories such as Entra ID or Okta.', may: 'manage SCIM tokens' },
  'directory.manage': { description: 'Configure the LDAP sync and import accounts from CSV files.', may: 'manage the directory sync and imports' },
  'seats.manage': { description: 'Set the licence seat limits of each pool.', may: 'set seat limits' },
  'billing.manage': { description: 'Manage billing (read by your applications).', may: 'manage billing' },
  'assets.view': { description: 'See assets (read by your applications).', may: 'see assets' },
  'assets.create': { description: 'Create assets (read by your applications).', may: 'create assets' },
  'assets.edit': { description: 'Edit assets (read by your applications).', may: 'edit assets' },
  'assets.delete': { description: 'Delete assets (read by your applications).', may: 'delete assets' },
  'licenses.view': { description: 'See licences (read by your applications).', may: 'see licences' },
  'licenses.create': { description: 'Create licences (read by your applications).', may: 'create licences' },
  'licenses.edit': { description: 'Edit licences (read by your applications).', may: 'edit licences' },
  'licenses.delete': { description: 'Delete licences (read by your applications).', may: 'delete licences' },
  'reports.view': { description: 'See reports (read by your applications).', may: 'see reports' },
  'data.export': { description: 'Export data (read by your applications).', may: 'export data' },
};

/** The catalogue by area, in the order the Roles page lists it. */
export const PERMISSION_AREAS: ReadonlyArray<{ area: string; permissions: readonly Permission[] }> = [
  { area: 'People', permissions: ['users.view', 'users.invite', 'users.manage', 'roles.manage', 'seats.manage'] },
  { area: 'Organization', permissions: ['settings.manage', 'audit.view', 'billing.manage'] },
  { area: 'Connections', permissions: ['clients.manage', 'scim.manage', 'directory.manage'] },
  { area: 'Assets', permissions: ['assets.view', 'assets.create', 'assets.edit', 'assets.delete'] },
  { area: 'Licences', permissions: ['licenses.view', 'licenses.create', 'licenses.edit', 'licenses.delete'] },
  { area: 'Reports and data', permissions: ['reports.view', 'data.export'] },
];

/** "Only people who may change settings can open this page." — for any permission string. */
export function whoMay(permission: string): string {
  const known = (PERMISSION_DESCRIPTIONS as Record<string, PermissionDescription | undefined>)[permission];
  return known ? `people who may ${known.may}` : `people whose role grants ${permission}`;
}
