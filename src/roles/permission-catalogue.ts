// The permission catalogue and the built-in roles.
// The assets/licenses/reports/data/billing strings are for applications to read from
// tokens; Gatehouse itself acts only on the others.
export const PERMISSIONS = [
  'users.view',
  'users.invite',
  'users.manage',
  'roles.manage',
  'settings.manage',
  'audit.view',
  'clients.manage',
  'scim.manage',
  'directory.manage',
  'seats.manage',
  'billing.manage',
  'assets.view',
  'assets.create',
  'assets.edit',
  'assets.delete',
  'licenses.view',
  'licenses.create',
  'licenses.edit',
  'licenses.delete',
  'reports.view',
  'data.export',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
export type BuiltInRoleKey = 'owner' | 'admin' | 'member' | 'viewer';

const VIEWER: Permission[] = ['users.view', 'assets.view', 'licenses.view', 'reports.view'];
const MEMBER: Permission[] = [...VIEWER, 'assets.create', 'assets.edit', 'licenses.create', 'licenses.edit', 'data.export'];
const ADMIN: Permission[] = [
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
const OWNER: Permission[] = [...ADMIN, 'seats.manage', 'billing.manage'];

export interface BuiltInRole {
  key: BuiltInRoleKey;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { key: 'owner', name: 'Owner', description: 'Holds every permission; exactly one account.', permissions: OWNER },
  { key: 'admin', name: 'Admin', description: 'Manages users, roles, settings and integrations.', permissions: ADMIN },
  { key: 'member', name: 'Member', description: 'Works with assets and licences.', permissions: MEMBER },
  { key: 'viewer', name: 'Viewer', description: 'Reads users, assets, licences and reports.', permissions: VIEWER },
];

/** Permission strings are free-form but bounded: letters, digits and . _ : - */
export const PERMISSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
