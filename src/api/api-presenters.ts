// What leaves the management API: explicit mappers from the domain's views (a house rule),
// matching the schemas in api-schemas.ts field for field.
import type { AuditEntry } from '../audit/audit-log.js';
import type { InvitationView } from '../invitations/invitation-presenter.js';
import type { RoleView } from '../roles/role-service.js';
import type { PoolUsage } from '../seats/seat-service.js';
import type { DirectoryRow } from '../users/user-directory.js';
import type { UserView } from '../users/user-presenter.js';

const roleRefs = (roles: Array<{ id: string; name: string }>) => roles.map((r) => ({ id: r.id, name: r.name }));

export function presentPerson(u: UserView) {
  return {
    id: u.id, username: u.username, email: u.email, emailVerified: u.emailVerified, name: u.name, givenName: u.givenName, familyName: u.familyName,
    displayName: u.displayName, phone: u.phone, department: u.department, title: u.title, employeeNumber: u.employeeNumber, locale: u.locale,
    kind: u.kind, source: u.source, status: u.status, roles: roleRefs(u.roles),
    createdAt: u.createdAt, updatedAt: u.updatedAt, lastSignInAt: u.lastSignInAt, deactivatedAt: u.deactivatedAt, deactivationReason: u.deactivationReason,
  };
}

export function presentListedPerson(r: DirectoryRow) {
  return {
    type: r.type, id: r.id, username: r.username, name: r.name, email: r.email, phone: r.phone, department: r.department, title: r.title,
    kind: r.kind, status: r.status, roles: roleRefs(r.roles), createdAt: r.createdAt, lastActivityAt: r.lastActivityAt, invitationExpiresAt: r.invitationExpiresAt,
  };
}

export function presentInvitation(i: InvitationView) {
  return {
    id: i.id, email: i.email, deliveryEmail: i.deliveryEmail, kind: i.kind, method: i.method, status: i.status, givenName: i.givenName, familyName: i.familyName,
    roles: roleRefs(i.roles), inviter: i.inviter.label, sentAt: i.sentAt, expiresAt: i.expiresAt, createdAt: i.createdAt, acceptedAt: i.acceptedAt, acceptedUserId: i.acceptedUserId,
  };
}

export function presentRole(r: RoleView) {
  return { id: r.id, name: r.name, builtin: r.builtin, description: r.description, permissions: r.permissions, holders: r.holders };
}

export function presentSeatPool(p: PoolUsage) {
  return { pool: p.pool, used: p.used, accounts: p.accounts, invited: p.invited, limit: p.limit, limitFromConfig: p.limitFromConfig, nearLimit: p.nearLimit };
}

export function presentAuditEvent(e: AuditEntry) {
  return {
    id: e.id, occurredAt: e.occurredAt, action: e.action, actor: { id: e.actorId, label: e.actorLabel }, source: e.source, ip: e.ip,
    target: e.target ? { type: e.target.type, id: e.target.id, label: e.target.label, deleted: e.targetDeleted } : null,
    details: e.details,
  };
}
