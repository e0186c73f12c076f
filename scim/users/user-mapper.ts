// Gatehouse accounts as SCIM Users (RFC 7643 §4.1 core, §4.3 enterprise extension) and back,
// attribute by attribute from the User's declarations (user-schema.ts): what a directory
// sends is what it gets back. Multi-valued attributes are the account's stored values; the
// account's own email and phone are chosen from them (src/users/user-values.ts). `userType`
// is the seat pool; `groups` are the roles held; the password never leaves.
import type { ConnectionUserView } from './connection-view.js';
import type { ProfileInput } from '../../src/users/user-input.js';
import { emailProblem } from '../../src/users/user-validation.js';
import { accountEmailOf, accountPhoneOf, MULTI_VALUED, type UserValue, type UserValues } from '../../src/users/user-values.js';
import { invalidValue } from '../errors.js';
import { etagOf } from '../http/preconditions.js';
import type { AttributeDef } from '../schema/attribute-def.js';
import { ENTERPRISE_URN, GATEHOUSE_USER_URN, USER_URN } from '../urns.js';
import { accessEndIn, gatehouseExtensionOut } from './gatehouse-extension.js';
import { externalIdIn, externalIdOut } from './external-id.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './user-schema.js';

export type Json = Record<string, unknown>;

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Users/${id}`;
}

type Fields = Record<string, unknown>;

/** The attributes of `defs` that are account fields (sub-attributes of complex ones included). */
function fieldsOut(defs: readonly AttributeDef[], u: Fields): Json {
  const out: Json = {};
  for (const d of defs) {
    if (d.field) {
      const v = u[d.field];
      if (v !== null && v !== undefined) out[d.name] = v;
    } else if (d.type === 'complex' && !d.multiValued && d.subAttributes?.some((s) => s.field)) {
      const inner = fieldsOut(d.subAttributes, u);
      if (Object.keys(inner).length) out[d.name] = inner;
    }
  }
  return out;
}

function fieldsIn(defs: readonly AttributeDef[], doc: Json, clear: null | undefined, into: Fields): void {
  for (const d of defs) {
    if (d.field) {
      const v = doc[d.name];
      into[d.field] = typeof v === 'string' ? v : clear;
    } else if (d.type === 'complex' && !d.multiValued && d.subAttributes?.some((s) => s.field)) {
      const inner = doc[d.name];
      fieldsIn(d.subAttributes, inner && typeof inner === 'object' ? (inner as Json) : {}, clear, into);
    }
  }
}

export function toScimUser(u: ConnectionUserView, values: UserValues, baseUrl: string): Json {
  const core = fieldsOut(USER_SCHEMA.attributes, u as unknown as Fields);
  const enterprise = fieldsOut(ENTERPRISE_SCHEMA.attributes, u as unknown as Fields);
  const hasEnterprise = Object.keys(enterprise).length > 0;
  const gatehouse = gatehouseExtensionOut(u);
  const multi: Json = {};
  for (const attribute of MULTI_VALUED) if (values[attribute]?.length) multi[attribute] = values[attribute]!.map((v) => ({ ...v }));
  const externalId = externalIdOut(u);
  return {
    schemas: [USER_URN, ...(hasEnterprise ? [ENTERPRISE_URN] : []), ...(gatehouse ? [GATEHOUSE_USER_URN] : [])],
    id: u.id,
    ...(externalId !== undefined ? { externalId } : {}),
    ...core,
    userType: u.kind,
    active: u.status === 'active',
    ...multi,
    groups: u.roles.map((r) => ({ value: r.id, display: r.name, $ref: `${baseUrl}/Groups/${r.id}`, type: 'direct' })),
    ...(hasEnterprise ? { [ENTERPRISE_URN]: enterprise } : {}),
    ...(gatehouse ? { [GATEHOUSE_USER_URN]: gatehouse } : {}),
    meta: {
      resourceType: 'User',
      created: u.createdAt.toISOString(),
      lastModified: u.updatedAt.toISOString(),
      version: etagOf(u.version),
      location: userLocation(baseUrl, u.id),
    },
  };
}

export interface UserInput {
  profile: ProfileInput;
  /** Every multi-valued attribute, each replaced whole (an omitted one is emptied). */
  values: UserValues;
  /** Absent: leave the status as it is (create: active). */
  active?: boolean;
  /** The access end date: a date, null to clear it, undefined to leave it (gatehouse-extension.ts). */
  accessEndsAt?: Date | null;
}

function valuesIn(doc: Json): UserValues {
  const values: UserValues = {};
  for (const attribute of MULTI_VALUED) values[attribute] = Array.isArray(doc[attribute]) ? (doc[attribute] as UserValue[]) : [];
  return values;
}

/**
 * Reads a validated SCIM User (schema/coerce.ts: canonical names, types checked, read-only
 * attributes gone). `replace` (PUT, and PATCH's patched whole): what the client left out is
 * cleared, except what SCIM does not carry here (the seat pool and the status when not sent).
 */
export function fromScimUser(doc: Json, mode: 'create' | 'replace', extensionSent = false): UserInput {
  const clear = mode === 'replace' ? null : undefined;
  const fields: Fields = {};
  fieldsIn(USER_SCHEMA.attributes, doc, clear, fields);
  fieldsIn(ENTERPRISE_SCHEMA.attributes, (doc[ENTERPRISE_URN] ?? {}) as Json, clear, fields);
  const values = valuesIn(doc);
  const profile: ProfileInput = {
    ...(fields as ProfileInput),
    ...externalIdIn(doc, clear),
    email: accountEmailOf(values.emails) ?? upnAsEmail(doc, mode) ?? null,
    phone: accountPhoneOf(values.phoneNumbers),
    kind: kindOf(doc.userType),
  };
  return { profile, values, active: typeof doc.active === 'boolean' ? doc.active : undefined, accessEndsAt: accessEndIn(doc, extensionSent) };
}

/**
 * Directories such as Entra ID send UPNs as userName: on creation without any email, a
 * userName that is an address becomes the account's email (and so its one work email).
 */
function upnAsEmail(doc: Json, mode: 'create' | 'replace'): string | undefined {
  const userName = typeof doc.userName === 'string' ? doc.userName : undefined;
  return mode === 'create' && userName && !emailProblem(userName) ? userName : undefined;
}

function kindOf(userType: unknown): string | undefined {
  if (userType === undefined || userType === null) return undefined;
  const kind = String(userType).trim().toLowerCase();
  if (kind === 'user' || kind === 'requester') return kind;
  throw invalidValue(`userType names the seat pool: "user" or "requester", not "${String(userType)}".`);
}
