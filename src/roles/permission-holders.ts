// Who should hear about something a permission is responsible for: the active accounts
// holding it through any of their roles, with an address to mail.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';

export interface Recipient {
  username: string;
  email: string;
}

export async function activeHoldersOf(models: Models, permission: string, ctx: Context): Promise<Recipient[]> {
  return models.sql.select<Recipient>(
    `SELECT DISTINCT u.username, u.email FROM users u
       JOIN user_roles ur ON ur.user_id = u.id
       JOIN role_permissions rp ON rp.role_id = ur.role_id
      WHERE rp.permission = ? AND u.status = 'active' AND u.email IS NOT NULL AND u.email <> ''
      ORDER BY u.username`,
    [permission],
    ctx,
  );
}
