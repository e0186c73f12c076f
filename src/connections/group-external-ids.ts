// A Group's externalId, kept per provisioning connection like an account's (external-ids.ts):
// a SCIM client sees and filters only its own connection's value (the Groups query joins
// the calling connection's row as `gx`), and two groups may carry the same value.
import type { Context, TxContext } from '../context.js';
import type { Sql } from '../db/sql.js';
import { normalize } from '../users/user-validation.js';

export class GroupExternalIds {
  constructor(private readonly sql: Sql) {}

  /** The connection's value for each of the given roles that has one. */
  async of(connectionId: string | null | undefined, roleIds: readonly string[], ctx?: Context): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (!connectionId || roleIds.length === 0) return result;
    const unique = [...new Set(roleIds)];
    const rows = await this.sql.select<{ role_id: string; external_id: string }>(
      `SELECT role_id, external_id FROM group_external_ids WHERE connection_id = ? AND role_id IN (${unique.map(() => '?').join(',')})`,
      [connectionId, ...unique],
      ctx,
    );
    for (const r of rows) result.set(r.role_id, r.external_id);
    return result;
  }

  /** Sets (or with null, removes) the role's value under the connection, in the caller's transaction. */
  async set(tx: TxContext, connectionId: string, roleId: string, value: string | null): Promise<void> {
    await this.sql.write('DELETE FROM group_external_ids WHERE connection_id = ? AND role_id = ?', [connectionId, roleId], tx);
    if (value !== null) {
      await this.sql.write('INSERT INTO group_external_ids (connection_id, role_id, external_id, external_id_normalized) VALUES (?, ?, ?, ?)', [connectionId, roleId, value, normalize(value)], tx);
    }
  }

  /** Every connection's value of a deleted role (SQLite may not cascade). */
  async removeAll(tx: TxContext, roleId: string): Promise<void> {
    await this.sql.write('DELETE FROM group_external_ids WHERE role_id = ?', [roleId], tx);
  }
}
