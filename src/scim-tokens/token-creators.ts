// Reads the creators of SCIM tokens as they stand now: status and the union of their roles'
// permissions (ALL for the owner), in one query. Every SCIM request asks this for its token.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { ALL } from '../roles/authorize.js';
import type { CreatorNow } from './token-permissions.js';

/** Each given account that exists, by id; an id missing from the result was deleted. */
export async function creatorsNow(models: Models, ids: readonly string[], ctx?: Context): Promise<Map<string, CreatorNow>> {
  const unique = [...new Set(ids)];
  const result = new Map<string, CreatorNow & { permissions: Set<string> }>();
  if (unique.length === 0) return result;
  const rows = await models.sql.select<{ id: string; username: string; status: string; builtin: string | null; permission: string | null }>(
    `SELECT u.id, u.username, u.status, r.builtin, rp.permission FROM users u
       LEFT JOIN user_roles ur ON ur.user_id = u.id
       LEFT JOIN roles r ON r.id = ur.role_id
       LEFT JOIN role_permissions rp ON rp.role_id = ur.role_id
      WHERE u.id IN (${unique.map(() => '?').join(',')})`,
    unique,
    ctx,
  );
  for (const row of rows) {
    const creator = result.get(row.id) ?? { username: row.username, status: row.status, permissions: new Set<string>() };
    if (row.builtin === 'owner') creator.permissions.add(ALL);
    if (row.permission !== null) creator.permissions.add(row.permission);
    result.set(row.id, creator);
  }
  return result;
}
