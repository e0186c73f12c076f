// Turns a directory entry into the account it describes: profile fields by the attribute
// mapping, the seat pool by the kind mapping, the roles by the group→role mapping, and a
// fingerprint of all of it, so an entry that has not changed since the last run is skipped
// without a write or a transaction.
import { createHash } from 'node:crypto';
import type { Kind } from '../users/user-model.js';
import type { ProfileInput } from '../users/user-input.js';
import { values, type Entry } from './ldap-client.js';
import { MAPPED_FIELDS, normalizeDn, type LdapSettings } from './ldap-settings.js';

export interface MappedEntry {
  dn: string;
  externalId: string | null;
  profile: ProfileInput;
  kind: Kind;
  /** Roles the entry's groups give, among the mapped ones. */
  roleIds: string[];
  fingerprint: string;
  /** How the report names the row. */
  label: string;
}

/** Group DN (normalised) → member DNs (normalised). */
export type GroupIndex = Map<string, Set<string>>;

const BINARY = new Set(['objectguid']);

/** Attributes the sync asks for: the mapped ones plus memberOf (groups, where kept). */
export function requestedAttributes(s: LdapSettings): { attributes: string[]; binary: string[] } {
  const names = new Set<string>(['memberOf']);
  for (const field of MAPPED_FIELDS) if (s.attributes[field]) names.add(s.attributes[field]);
  if (s.kind.mode === 'attribute' && s.kind.attribute) names.add(s.kind.attribute);
  const attributes = [...names];
  return { attributes, binary: attributes.filter((a) => BINARY.has(a.toLowerCase())) };
}

/** The groups whose membership the mapping reads. */
export function mappedGroups(s: LdapSettings): string[] {
  const groups = s.groupRoles.map((g) => g.groupDn);
  if (s.kind.mode === 'group') groups.push(s.kind.groupDn);
  return [...new Set(groups)];
}

function first(entry: Entry, attribute: string): string | null {
  if (!attribute) return null;
  const v = values(entry, attribute)[0];
  return v === undefined ? null : v.trim() || null;
}

function isMember(entry: Entry, dnKey: string, groupDn: string, groups: GroupIndex): boolean {
  const key = normalizeDn(groupDn);
  if (groups.get(key)?.has(dnKey)) return true;
  return values(entry, 'memberOf').some((g) => normalizeDn(g) === key);
}

export function mapEntry(entry: Entry, s: LdapSettings, groups: GroupIndex): MappedEntry {
  const dnKey = normalizeDn(entry.dn);
  const profile: ProfileInput = {};
  for (const field of MAPPED_FIELDS) {
    if (field === 'externalId' || !s.attributes[field]) continue;
    profile[field] = first(entry, s.attributes[field]);
  }
  const externalId = first(entry, s.attributes.externalId);
  profile.externalId = externalId;
  let kind: Kind = 'user';
  if (s.kind.mode === 'attribute') {
    const wanted = s.kind.value.trim().toLowerCase();
    if (values(entry, s.kind.attribute).some((v) => v.trim().toLowerCase() === wanted)) kind = 'requester';
  } else if (s.kind.mode === 'group' && isMember(entry, dnKey, s.kind.groupDn, groups)) {
    kind = 'requester';
  }
  profile.kind = kind;
  const roleIds = [...new Set(s.groupRoles.filter((g) => isMember(entry, dnKey, g.groupDn, groups)).map((g) => g.roleId))].sort();
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([entry.dn, MAPPED_FIELDS.map((f) => profile[f] ?? null), kind, roleIds]))
    .digest('hex');
  return { dn: entry.dn, externalId, profile, kind, roleIds, fingerprint, label: profile.username || profile.email || entry.dn };
}
