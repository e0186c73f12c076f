// The account as a webhook presents it: the profile, status, role names and each
// provisioning connection's externalId — never a password hash, a second-factor secret or
// any other credential. Taken from the account the change itself presents when the users
// service hands it over (every directory push would otherwise pay a read while someone
// subscribes), else read in one statement inside the change's transaction.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { sqlDate } from '../db/sql.js';
import { displayNameOf, type UserView } from '../users/user-presenter.js';

export interface WebhookAccount {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  phone: string | null;
  department: string | null;
  title: string | null;
  employeeNumber: string | null;
  locale: string | null;
  kind: string;
  source: string;
  status: string;
  roles: string[];
  externalIds: Array<{ connection: string; value: string }>;
  createdAt: string | null;
  updatedAt: string | null;
  deactivatedAt: string | null;
}

interface Row {
  id: string; username: string; email: string | null; email_verified: number | boolean; given_name: string | null; family_name: string | null; display_name: string | null;
  phone: string | null; department: string | null; title: string | null; employee_number: string | null; locale: string | null; kind: string; source: string; status: string;
  created_at: Date | string; updated_at: Date | string; deactivated_at: Date | string | null; role_name: string | null; connection_name: string | null; external_id: string | null;
}

const iso = (v: Date | string | null) => sqlDate(v)?.toISOString() ?? null;

export async function readAccountSnapshot(models: Models, ctx: Context, userId: string): Promise<WebhookAccount | null> {
  // Roles × externalIds: a handful of rows at most, folded below.
  const rows = await models.sql.select<Row>(
    `SELECT u.id, u.username, u.email, u.email_verified, u.given_name, u.family_name, u.display_name, u.phone, u.department, u.title, u.employee_number,
            u.locale, u.kind, u.source, u.status, u.created_at, u.updated_at, u.deactivated_at, r.name AS role_name, c.name AS connection_name, x.external_id
       FROM users u
       LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
       LEFT JOIN user_external_ids x ON x.user_id = u.id LEFT JOIN provisioning_connections c ON c.id = x.connection_id
      WHERE u.id = ?`,
    [userId],
    ctx,
  );
  const u = rows[0];
  if (!u) return null;
  const roles = [...new Set(rows.map((r) => r.role_name).filter((n): n is string => n !== null))].sort();
  const externalIds = new Map<string, string>();
  for (const r of rows) if (r.connection_name !== null && r.external_id !== null) externalIds.set(r.connection_name, r.external_id);
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    emailVerified: !!u.email_verified,
    name: displayNameOf({ displayName: u.display_name, givenName: u.given_name, familyName: u.family_name, username: u.username }),
    givenName: u.given_name,
    familyName: u.family_name,
    displayName: u.display_name,
    phone: u.phone,
    department: u.department,
    title: u.title,
    employeeNumber: u.employee_number,
    locale: u.locale,
    kind: u.kind,
    source: u.source,
    status: u.status,
    roles,
    externalIds: [...externalIds].sort(([a], [b]) => a.localeCompare(b)).map(([connection, value]) => ({ connection, value })),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
    deactivatedAt: iso(u.deactivated_at),
  };
}

/** The account a change presented (the users service's UserView), without reading it back. */
export function webhookAccountOf(u: UserView): WebhookAccount {
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
    roles: [...new Set(u.roles.map((r) => r.name))].sort(),
    externalIds: u.externalIds.map((x) => ({ connection: x.connection, value: x.value })).sort((a, b) => a.connection.localeCompare(b.connection)),
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
    deactivatedAt: iso(u.deactivatedAt),
  };
}

/** Whether an audit observer's subject is the account `userId` as the users service presents it. */
export function isUserViewOf(subject: object | undefined, userId: string): subject is UserView {
  const s = subject as Partial<UserView> | undefined;
  return !!s && s.id === userId && typeof s.username === 'string' && Array.isArray(s.roles) && Array.isArray(s.externalIds);
}
