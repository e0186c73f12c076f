// A restore goes only into an empty database: one that holds nothing but what migrations
// and a start without an owner write (built-in roles, seat pools, the LDAP and CSV
// provisioning connections, generated keys, a setup link). Anything else — an account, a client, a changed setting — is data a restore
// would overwrite, so the restore is refused.
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { quoted } from './schema-tables.js';

/** Per table: which rows are data (an SQL condition), or null when none of its rows are. */
function dataRows(db: Database): Record<string, string | null> {
  return {
    settings: `${quoted(db, 'key')} NOT LIKE 'internal.%'`,
    roles: 'builtin IS NULL',
    role_permissions: 'role_id IN (SELECT id FROM roles WHERE builtin IS NULL)',
    seat_pools: 'seat_limit IS NOT NULL',
    audit_events: "action <> 'setup.link_issued'",
    // The LDAP sync's and the CSV import's connections are built in; SCIM ones come with tokens.
    provisioning_connections: "kind = 'scim'",
    // Written by any start (keys, the setup link) or by visitors (sessions, throttling).
    oidc_keys: null,
    setup_tokens: null,
    oidc_payloads: null,
    web_sessions: null,
    sign_in_failures: null,
    directory_leases: null,
  };
}

/** The tables holding data, with their row counts. */
export async function tablesWithData(db: Database, tables: string[], transaction: Transaction): Promise<Array<{ table: string; rows: number }>> {
  const rules = dataRows(db);
  const found: Array<{ table: string; rows: number }> = [];
  for (const table of tables) {
    const rule = table in rules ? rules[table] : '1 = 1';
    if (rule === null) continue;
    const [row] = await db.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${quoted(db, table)} WHERE ${rule}`, { transaction, type: QueryTypes.SELECT, raw: true });
    const rows = Number(row?.n ?? 0);
    if (rows > 0) found.push({ table, rows });
  }
  return found;
}
