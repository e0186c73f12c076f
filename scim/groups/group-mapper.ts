// Roles as SCIM Groups (RFC 7643 §4.2; SPEC "Groups are roles"): displayName is the role's
// name, members are its holders. Permissions stay Gatehouse's business.
import type { RoleView } from '../../src/roles/role-service.js';
import type { RoleMember } from '../../src/roles/role-membership.js';
import { invalidValue } from '../errors.js';
import { etagOf } from '../http/preconditions.js';
import { GROUP_URN } from '../urns.js';
import type { Json } from '../users/user-mapper.js';

export function groupLocation(baseUrl: string, id: string): string {
  return `${baseUrl}/Groups/${id}`;
}

/** `members` undefined: not loaded because the response leaves it out. */
export function toScimGroup(role: RoleView, members: RoleMember[] | undefined, baseUrl: string): Json {
  return {
    schemas: [GROUP_URN],
    id: role.id,
    displayName: role.name,
    ...(members ? { members: members.map((m) => ({ value: m.id, display: m.username, $ref: `${baseUrl}/Users/${m.id}`, type: 'User' })) } : {}),
    meta: { resourceType: 'Group', created: role.createdAt.toISOString(), lastModified: role.updatedAt.toISOString(), version: etagOf(role.version), location: groupLocation(baseUrl, role.id) },
  };
}

/** Member ids from a members value (one member or a list); nested groups are not supported. */
export function memberIds(value: unknown, where: string): string[] {
  const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (!m || typeof m !== 'object') throw invalidValue(`${where}: each member is an object with a "value" (a user id).`);
    const entries = Object.entries(m as Json).map(([k, v]) => [k.toLowerCase(), v] as const);
    const type = entries.find(([k]) => k === 'type')?.[1];
    if (typeof type === 'string' && type.toLowerCase() === 'group') throw invalidValue(`${where}: groups cannot be members of groups in Gatehouse.`);
    const id = entries.find(([k]) => k === 'value')?.[1];
    if (typeof id !== 'string' || !id) throw invalidValue(`${where}: each member needs a "value" (a user id).`);
    return id;
  });
}
