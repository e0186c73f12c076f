// The LDAP sync's settings: where the directory is, how Gatehouse
// binds to it, which entries are accounts, how their attributes map to account fields, which
// entries are requesters (seat pool), which groups give which roles, and when
// the sync runs. Validated here with one message per field for the settings page.
import { FilterParser } from 'ldapts';
import type { FieldErrors } from '../errors.js';

export const MAPPED_FIELDS = ['username', 'email', 'givenName', 'familyName', 'displayName', 'phone', 'department', 'title', 'externalId'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export interface KindMapping {
  /** none: everyone is a user; attribute: `attribute` equal to `value` marks requesters; group: members of `groupDn` are requesters. */
  mode: 'none' | 'attribute' | 'group';
  attribute: string;
  value: string;
  groupDn: string;
}

export interface GroupRole {
  groupDn: string;
  roleId: string;
}

export interface LdapSettings {
  /** ldap://host[:port] or ldaps://host[:port]. */
  url: string;
  /** Upgrade an ldap:// connection with StartTLS (RFC 4511 §4.14) before binding. */
  startTls: boolean;
  /** PEM CA certificate(s) trusted for ldaps:// and StartTLS; empty = the system's. */
  tlsCa: string;
  /** DN the sync binds as; empty = anonymous. Its password is kept apart (sealed, or LDAP_BIND_PASSWORD). */
  bindDn: string;
  baseDn: string;
  /** RFC 4515 filter selecting the entries that are accounts. */
  filter: string;
  /** Attribute name per account field; empty = not mapped (left alone). */
  attributes: Record<MappedField, string>;
  kind: KindMapping;
  groupRoles: GroupRole[];
  /** Deactivate accounts synced from the directory whose entry is gone. */
  deactivateMissing: boolean;
  /** Minutes between scheduled runs; 0 = on demand only. */
  intervalMinutes: number;
}

export const DEFAULT_LDAP_SETTINGS: LdapSettings = {
  url: '',
  startTls: false,
  tlsCa: '',
  bindDn: '',
  baseDn: '',
  filter: '(objectClass=inetOrgPerson)',
  attributes: {
    username: 'uid',
    email: 'mail',
    givenName: 'givenName',
    familyName: 'sn',
    displayName: 'displayName',
    phone: 'telephoneNumber',
    department: 'departmentNumber',
    title: 'title',
    externalId: 'entryUUID',
  },
  kind: { mode: 'none', attribute: '', value: '', groupDn: '' },
  groupRoles: [],
  deactivateMissing: false,
  intervalMinutes: 0,
};

export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;

const URL_PATTERN = /^(ldaps?):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:(\d{1,5}))?\/?$/;
// An attribute description (RFC 4512 §2.5: descr or numericoid, options not used here).
const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]{0,127}|\d+(\.\d+)+)$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A DN as written by admins and directories: at least one `attr=value`, no control characters. */
export function dnProblem(label: string, dn: string, required: boolean): string | null {
  if (!dn) return required ? `${label} is required.` : null;
  if (dn.length > 1024) return `${label} must be at most 1024 characters.`;
  if (CONTROL.test(dn) || !/^[A-Za-z0-9.-]+\s*=/.test(dn)) return `${label} must be a DN such as dc=example,dc=com.`;
  return null;
}

/**
 * Compares DNs the way directories write them inconsistently: case-insensitive attribute
 * names and (for the common attributes) values, spaces around separators ignored.
 */
export function normalizeDn(dn: string): string {
  return splitRdns(dn)
    .map((rdn) => rdn.replace(/\s*=\s*/, '=').trim().toLowerCase())
    .join(',');
}

function splitRdns(dn: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[++i];
    } else if (c === ',' || c === ';') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Validates settings (per-field messages) against the roles that exist. */
export function ldapSettingsProblems(s: LdapSettings, roles: ReadonlyArray<{ id: string; builtin: string | null }>): FieldErrors {
  const errors: FieldErrors = {};
  const url = URL_PATTERN.exec(s.url);
  if (!s.url) errors.url = 'Directory URL is required, such as ldap://ldap.example.com:389 or ldaps://ldap.example.com.';
  else if (!url) errors.url = 'Directory URL must be ldap://host[:port] or ldaps://host[:port].';
  else if (url[4] && (Number(url[4]) < 1 || Number(url[4]) > 65535)) errors.url = 'The port must be between 1 and 65535.';
  else if (s.startTls && url[1] === 'ldaps') errors.startTls = 'StartTLS upgrades an ldap:// connection; ldaps:// is encrypted already.';
  if (s.tlsCa && !/-----BEGIN CERTIFICATE-----/.test(s.tlsCa)) errors.tlsCa = 'Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …).';
  const bind = dnProblem('Bind DN', s.bindDn, false);
  if (bind) errors.bindDn = bind;
  const base = dnProblem('Base DN', s.baseDn, true);
  if (base) errors.baseDn = base;
  if (!s.filter) errors.filter = 'Filter is required, such as (objectClass=inetOrgPerson).';
  else {
    try {
      if (!s.filter.startsWith('(') || s.filter.length > 2000) throw new Error('not wrapped');
      FilterParser.parseString(s.filter);
    } catch {
      errors.filter = 'Filter must be an LDAP filter (RFC 4515) in parentheses, such as (&(objectClass=person)(mail=*)).';
    }
  }
  for (const field of MAPPED_FIELDS) {
    const name = s.attributes[field];
    // Only the external id is required (it matches entries to accounts); entries without an
    // email attribute, or a directory that keeps none, make accounts without an address.
    if (!name) {
      if (field === 'externalId') errors.attr_externalId = 'The external id attribute is required (entryUUID, or objectGUID for Active Directory).';
    } else if (!ATTRIBUTE.test(name)) errors[`attr_${field}`] = 'An attribute name has letters, digits and dashes (or is an OID).';
  }
  if (s.kind.mode === 'attribute') {
    if (!s.kind.attribute || !ATTRIBUTE.test(s.kind.attribute)) errors.kindAttribute = 'Name the attribute that marks requesters.';
    if (!s.kind.value) errors.kindValue = 'Give the value that marks requesters.';
  } else if (s.kind.mode === 'group') {
    const problem = dnProblem('Requester group DN', s.kind.groupDn, true);
    if (problem) errors.kindGroupDn = problem;
  } else if (s.kind.mode !== 'none') errors.kindMode = 'Choose how requesters are recognised.';
  const byId = new Map(roles.map((r) => [r.id, r]));
  s.groupRoles.forEach((g, i) => {
    const problem = dnProblem('Group DN', g.groupDn, true);
    const role = byId.get(g.roleId);
    if (problem) errors[`groupRole_${i}`] = problem;
    else if (!role) errors[`groupRole_${i}`] = 'Choose a role for this group.';
    else if (role.builtin === 'owner') errors[`groupRole_${i}`] = 'The owner role is only given by transferring ownership.';
  });
  if (!Number.isInteger(s.intervalMinutes) || s.intervalMinutes < 0 || s.intervalMinutes > MAX_INTERVAL_MINUTES) {
    errors.intervalMinutes = `Interval must be a whole number of minutes from 0 (on demand only) to ${MAX_INTERVAL_MINUTES}.`;
  }
  return errors;
}

/** Stored JSON back to settings, with defaults for keys added later. */
export function parseStoredSettings(json: string | null | undefined): LdapSettings {
  if (!json) return structuredClone(DEFAULT_LDAP_SETTINGS);
  const stored = JSON.parse(json) as Partial<LdapSettings>;
  return {
    ...structuredClone(DEFAULT_LDAP_SETTINGS),
    ...stored,
    attributes: { ...DEFAULT_LDAP_SETTINGS.attributes, ...(stored.attributes ?? {}) },
    kind: { ...DEFAULT_LDAP_SETTINGS.kind, ...(stored.kind ?? {}) },
    groupRoles: stored.groupRoles ?? [],
  };
}
