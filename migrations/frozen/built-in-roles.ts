// The built-in roles as migration 002 creates them. A copy, not an import: changing the
// live catalogue (src/roles/permission-catalogue.ts) must never change what an old
// migration writes; a later migration changes existing roles instead.
const VIEWER = ['users.view', 'assets.view', 'licenses.view', 'reports.view'];
const MEMBER = [...VIEWER, 'assets.create', 'assets.edit', 'licenses.create', 'licenses.edit', 'data.export'];
const ADMIN = [
  ...MEMBER,
  'users.invite',
  'users.manage',
  'roles.manage',
  'settings.manage',
  'audit.view',
  'clients.manage',
  'scim.manage',
  'directory.manage',
  'assets.delete',
  'licenses.delete',
];
const OWNER = [...ADMIN, 'seats.manage', 'billing.manage'];

export const BUILT_IN_ROLES_AT_002: ReadonlyArray<{ key: string; name: string; description: string; permissions: readonly string[] }> = [
  { key: 'owner', name: 'Owner', description: 'Holds every permission; exactly one account.', permissions: OWNER },
  { key: 'admin', name: 'Admin', description: 'Manages users, roles, settings and integrations.', permissions: ADMIN },
  { key: 'member', name: 'Member', description: 'Works with assets and licences.', permissions: MEMBER },
  { key: 'viewer', name: 'Viewer', description: 'Reads users, assets, licences and reports.', permissions: VIEWER },
];
