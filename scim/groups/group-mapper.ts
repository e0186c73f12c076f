// Roles as SCIM Groups (RFC 7643 §4.2): displayName is the role's
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

/** `members` undefined: not loaded because the response leaves it out. `externalId`: the calling connection's. */
export function toScimGroup(role: RoleView, members: RoleMember[] | undefined, baseUrl: string, externalId?: string): Json {
  return {
    schemas: [GROUP_URN],
    id: role.id,
    ...(externalId !== undefined ? { externalId } : {}),
    displayName: role.name,
    ...(members ? { members: members.map((m) => ({ value: m.id, display: m.username, $ref: `${baseUrl}/Users/${m.id}`, type: 'User' })) } : {}),
    meta: { resourceType: 'Group', created: role.createdAt.toISOString(), lastModified: role.updatedAt.toISOString(), version: etagOf(role.version), location: groupLocation(baseUrl, role.id) },
  };
}

/**
 * Member ids from a members value (one member or a list). `type` and `$ref`, when sent, must
 * name the same User (nested groups are not supported); `display` is the server's and ignored.
 */
export function memberIds(value: unknown, where: string): string[] {
  const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (!m || typeof m !== 'object') throw invalidValue(`${where}: each member is an object with a "value" (a user id).`);
    const entries = Object.entries(m as Json).map(([k, v]) => [k.toLowerCase(), v] as const);
    const sub = (name: string) => entries.find(([k]) => k === name)?.[1];
    const type = sub('type');
    if (typeof type === 'string' && type.toLowerCase() === 'group') throw invalidValue(`${where}: groups cannot be members of groups in Gatehouse.`);
    if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'user')) throw invalidValue(`${where}: a member's "type" is "User".`);
    const id = sub('value');
    if (typeof id !== 'string' || !id) throw invalidValue(`${where}: each member needs a "value" (a user id).`);
    const ref = sub('$ref');
    if (ref !== undefined && ref !== null && !refNamesUser(ref, id)) throw invalidValue(`${where}: a member's "$ref" is the URI of the User it names in "value" (…/Users/${id}).`);
    return id;
  });
}

/** An absolute or relative URI ending in Users/<id> (RFC 7643 §2.3.7). */
function refNamesUser(ref: unknown, id: string): boolean {
  if (typeof ref !== 'string') return false;
  const path = ref.split(/[?#]/)[0]!.replace(/\/+$/, '');
  const tail = `Users/${encodeURIComponent(id)}`;
  return path === tail || path.endsWith(`/${tail}`) || path === `Users/${id}` || path.endsWith(`/Users/${id}`);
}
