// Typed audit event names (DESIGN.md rule 6). Add a name here before recording it.
export const AUDIT_ACTIONS = [
  'setup.link_issued',
  'setup.owner_created',
  'user.created',
  'user.updated',
  'user.activated',
  'user.confirmed',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'user.kind_changed',
  'user.roles_changed',
  'user.password_set',
  'owner.transferred',
  'role.created',
  'role.renamed',
  'role.permissions_changed',
  'role.deleted',
  'seats.limit_changed',
  'seats.limit_reached',
  'settings.changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
