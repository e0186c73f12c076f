// What a receiver gets: `{ type, timestamp, data }`, data naming the kind of actor and the
// account as Gatehouse presents it — no password hash, no second-factor secret, no
// credentials of any kind.
import type { Context } from '../context.js';
import type { UserView } from '../users/user-presenter.js';
import type { WebhookEventType } from './webhook-events.js';

export interface WebhookActor {
  /** A person (an admin, the account itself), a directory (SCIM, LDAP, CSV) or Gatehouse itself. */
  kind: 'user' | 'directory' | 'system';
  /** The path the change came by: admin, account, scim, ldap, csv, invitation, registration, … */
  source: string;
}

const DIRECTORY_SOURCES = new Set(['scim', 'ldap', 'csv']);

export function actorOf(ctx: Context): WebhookActor {
  const kind = DIRECTORY_SOURCES.has(ctx.source) ? 'directory' : ctx.actor.userId ? 'user' : 'system';
  return { kind, source: ctx.source };
}

export function webhookAccount(u: UserView) {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    emailVerified: u.emailVerified,
    name: u.name,
    givenName: u.givenName,
    familyName: u.familyName,
    displayName: u.displayName,
    phone: u.phone,
    department: u.department,
    title: u.title,
    employeeNumber: u.employeeNumber,
    locale: u.locale,
    kind: u.kind,
    source: u.source,
    status: u.status,
    roles: u.roles.map((r) => r.name),
    externalIds: u.externalIds.map((e) => ({ connection: e.connection, value: e.value })),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
    deactivatedAt: u.deactivatedAt ? u.deactivatedAt.toISOString() : null,
  };
}

export function webhookBody(type: WebhookEventType, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
