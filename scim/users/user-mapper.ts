// Gatehouse accounts as SCIM Users (RFC 7643 §4.1 core, §4.3 enterprise extension) and back.
// Gatehouse keeps one email and one phone: they leave as the single "work", primary value,
// and arrive from the value marked primary, else "work" (then "mobile" for phones), else the
// first. `userType` is the seat pool (SPEC "Seats": kind). The password never leaves.
import type { UserView } from '../../src/users/user-presenter.js';
import type { ProfileInput } from '../../src/users/user-input.js';
import { emailProblem } from '../../src/users/user-validation.js';
import { invalidValue } from '../errors.js';
import { etagOf } from '../http/preconditions.js';
import { ENTERPRISE_URN, USER_URN } from '../urns.js';

export type Json = Record<string, unknown>;

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Users/${id}`;
}

export function toScimUser(u: UserView, baseUrl: string): Json {
  const name = { givenName: u.givenName ?? undefined, familyName: u.familyName ?? undefined, formatted: [u.givenName, u.familyName].filter(Boolean).join(' ') || undefined };
  const enterprise = { employeeNumber: u.employeeNumber ?? undefined, department: u.department ?? undefined, manager: u.manager ? { value: u.manager } : undefined };
  const hasEnterprise = Object.values(enterprise).some((v) => v !== undefined);
  return stripUndefined({
    schemas: hasEnterprise ? [USER_URN, ENTERPRISE_URN] : [USER_URN],
    id: u.id,
    externalId: u.externalId ?? undefined,
    userName: u.username,
    name: name.givenName || name.familyName ? name : undefined,
    displayName: u.displayName ?? undefined,
    title: u.title ?? undefined,
    userType: u.kind,
    preferredLanguage: u.locale ?? undefined,
    locale: u.locale ?? undefined,
    active: u.status === 'active',
    emails: u.email ? [{ value: u.email, type: 'work', primary: true }] : undefined,
    phoneNumbers: u.phone ? [{ value: u.phone, type: 'work', primary: true }] : undefined,
    groups: u.roles.map((r) => ({ value: r.id, display: r.name, $ref: `${baseUrl}/Groups/${r.id}`, type: 'direct' })),
    [ENTERPRISE_URN]: hasEnterprise ? enterprise : undefined,
    meta: {
      resourceType: 'User',
      created: u.createdAt.toISOString(),
      lastModified: u.updatedAt.toISOString(),
      version: etagOf(u.version),
      location: userLocation(baseUrl, u.id),
    },
  });
}

export interface UserInput {
  profile: ProfileInput;
  /** Absent: leave the status as it is (create: active). */
  active?: boolean;
  password?: string;
}

/**
 * Reads a validated SCIM User (scimmy's inbound coercion: attribute names in their
 * canonical case, types checked). `replace` (PUT, and PATCH's patched whole): attributes
 * the client left out are cleared, except those Gatehouse cannot be without or that SCIM
 * does not carry (email, the seat pool, the status, the password).
 */
export function fromScimUser(doc: Json, mode: 'create' | 'replace'): UserInput {
  const clear = mode === 'replace' ? null : undefined;
  const str = (v: unknown): string | null | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? clear : String(v));
  const name = (doc.name ?? {}) as Json;
  const enterprise = (doc[ENTERPRISE_URN] ?? {}) as Json;
  const manager = enterprise.manager as Json | undefined;
  const userName = typeof doc.userName === 'string' ? doc.userName : undefined;
  let email = pickValue(doc.emails, ['work']);
  // Directories such as Entra send UPNs as userName; with no email sent, a userName that is
  // an address is the address.
  if (email === undefined && mode === 'create' && userName && !emailProblem(userName)) email = userName;
  const profile: ProfileInput = {
    username: userName,
    email,
    givenName: str(name.givenName),
    familyName: str(name.familyName),
    displayName: str(doc.displayName),
    phone: pickValue(doc.phoneNumbers, ['work', 'mobile']) ?? clear,
    title: str(doc.title),
    locale: str(doc.locale ?? doc.preferredLanguage),
    externalId: str(doc.externalId),
    employeeNumber: str(enterprise.employeeNumber),
    department: str(enterprise.department),
    manager: str(manager?.value),
    kind: kindOf(doc.userType),
  };
  return {
    profile,
    active: typeof doc.active === 'boolean' ? doc.active : undefined,
    password: typeof doc.password === 'string' && doc.password !== '' ? doc.password : undefined,
  };
}

function kindOf(userType: unknown): string | undefined {
  if (userType === undefined || userType === null) return undefined;
  const kind = String(userType).trim().toLowerCase();
  if (kind === 'user' || kind === 'requester') return kind;
  throw invalidValue(`userType names the seat pool: "user" or "requester", not "${String(userType)}".`);
}

function pickValue(list: unknown, preferredTypes: string[]): string | undefined {
  // scimmy lets null stand in a list of complex values: only objects are values.
  const values = Array.isArray(list) ? list.filter((v): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)) : [];
  if (values.length === 0) return undefined;
  const typed = (t: string) => values.find((v) => String(v.type ?? '').toLowerCase() === t);
  const chosen = values.find((v) => v.primary === true) ?? preferredTypes.map(typed).find((v) => v) ?? values[0]!;
  return typeof chosen.value === 'string' ? chosen.value : undefined;
}

export function stripUndefined<T extends Json>(obj: T): T {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) delete obj[key];
    else if (v && typeof v === 'object' && !Array.isArray(v)) stripUndefined(v as Json);
  }
  return obj;
}
