// Provisioning connections: each directory that provisions accounts — a SCIM client (one or
// more bearer tokens), the LDAP sync, the CSV import — is a named connection, and an account
// keeps one externalId per connection. RFC 7643 §3.1: externalId is the provisioning
// client's identifier, scoped to its provisioning domain and not unique, so the old unique
// users.external_id goes.
//
// - provisioning_connections: kind scim | ldap | csv, a name unique case-insensitively. The
//   LDAP sync and the CSV import each have one fixed connection (ids 'ldap' and 'csv').
// - scim_tokens.connection_id: the connection a token provisions for; rotating a token keeps
//   it. Nullable in the schema only because SQLite cannot add a NOT NULL column; every token
//   has one after this migration.
// - user_external_ids: one externalId per (connection, account), the primary key; a
//   non-unique index on (connection, normalised value) serves matching and SCIM filters.
//
// Existing values move by the account's source: ldap → LDAP, csv → CSV, any other (SCIM, or
// an account created elsewhere that a SCIM client later wrote) → one SCIM connection that
// holds every existing token, since no record says which token wrote which value.
import { QueryTypes, type QueryInterface } from 'sequelize';
import { references, str, time, type Migration } from './columns.js';

export const LDAP_CONNECTION = { id: 'ldap', kind: 'ldap', name: 'LDAP directory' } as const;
export const CSV_CONNECTION = { id: 'csv', kind: 'csv', name: 'CSV import' } as const;
/** The connection that takes the tokens and SCIM-written values from before connections. */
export const EXISTING_SCIM_CONNECTION = { id: 'scim-existing', kind: 'scim', name: 'SCIM (tokens before connections)' } as const;

type Connection = { id: string; kind: string; name: string };

async function addConnection(qi: QueryInterface, c: Connection, now: Date): Promise<void> {
  await qi.bulkInsert('provisioning_connections', [{ id: c.id, kind: c.kind, name: c.name, name_normalized: c.name.toLowerCase(), created_at: now }]);
}

/** Moves users.external_id into user_external_ids and puts existing tokens in a connection. */
export async function moveExternalIds(qi: QueryInterface, now: Date): Promise<void> {
  const sequelize = qi.sequelize;
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  await addConnection(qi, LDAP_CONNECTION, now);
  await addConnection(qi, CSV_CONNECTION, now);
  const [tokens] = await select<{ n: number | string }>('SELECT COUNT(*) AS n FROM scim_tokens');
  const [scimValues] = await select<{ n: number | string }>("SELECT COUNT(*) AS n FROM users WHERE external_id IS NOT NULL AND source NOT IN ('ldap', 'csv')");
  if (Number(tokens?.n ?? 0) > 0 || Number(scimValues?.n ?? 0) > 0) {
    await addConnection(qi, EXISTING_SCIM_CONNECTION, now);
    await sequelize.query('UPDATE scim_tokens SET connection_id = :id', { replacements: { id: EXISTING_SCIM_CONNECTION.id } });
  }
  // One statement per connection: the copy runs in the database, whatever the number of accounts.
  const copy = (connectionId: string, where: string) =>
    sequelize.query(
      `INSERT INTO user_external_ids (connection_id, user_id, external_id, external_id_normalized)
       SELECT :connectionId, id, external_id, external_id_normalized FROM users WHERE external_id IS NOT NULL AND ${where}`,
      { replacements: { connectionId } },
    );
  await copy(LDAP_CONNECTION.id, "source = 'ldap'");
  await copy(CSV_CONNECTION.id, "source = 'csv'");
  await copy(EXISTING_SCIM_CONNECTION.id, "source NOT IN ('ldap', 'csv')");
}

/** SQLite (3.35+) and MariaDB both drop a column in place once no index names it. */
async function dropColumn(qi: QueryInterface, table: string, column: string): Promise<void> {
  await qi.sequelize.query(`ALTER TABLE ${qi.quoteIdentifier(table)} DROP COLUMN ${qi.quoteIdentifier(column)}`);
}

export const migration: Migration = {
  name: '015-provisioning-connections',
  async up(qi: QueryInterface) {
    await qi.createTable('provisioning_connections', {
      id: { ...str(36, false), primaryKey: true },
      kind: str(8, false),
      name: str(100, false),
      name_normalized: str(100, false),
      created_at: time(false),
    });
    await qi.addIndex('provisioning_connections', ['name_normalized'], { unique: true, name: 'provisioning_connections_name_unique' });

    await qi.createTable('user_external_ids', {
      connection_id: { ...references('provisioning_connections', 'RESTRICT'), primaryKey: true },
      user_id: { ...references('users', 'CASCADE'), primaryKey: true },
      external_id: str(255, false),
      // NFC, lower case: LDAP and CSV match on it; SCIM's case-exact filters prefilter on it.
      external_id_normalized: str(255, false),
    });
    await qi.addIndex('user_external_ids', ['connection_id', 'external_id_normalized'], { name: 'user_external_ids_connection_value' });
    await qi.addIndex('user_external_ids', ['user_id'], { name: 'user_external_ids_user' });

    await qi.addColumn('scim_tokens', 'connection_id', str(36));
    await qi.addIndex('scim_tokens', ['connection_id'], { name: 'scim_tokens_connection' });

    await moveExternalIds(qi, new Date());
    await qi.removeIndex('users', 'users_external_id_normalized_unique');
    await dropColumn(qi, 'users', 'external_id_normalized');
    await dropColumn(qi, 'users', 'external_id');
  },
  async down(qi: QueryInterface) {
    await qi.addColumn('users', 'external_id', str(255));
    await qi.addColumn('users', 'external_id_normalized', str(255));
    // Back to one value per account, unique: each account keeps the value of the connection
    // its source names (else any), unless another account already took that value.
    const rows = await qi.sequelize.query<{ user_id: string; connection_id: string; source: string; external_id: string; external_id_normalized: string }>(
      `SELECT x.user_id, x.connection_id, u.source, x.external_id, x.external_id_normalized
         FROM user_external_ids x JOIN users u ON u.id = x.user_id ORDER BY x.user_id, x.connection_id`,
      { type: QueryTypes.SELECT },
    );
    const chosen = new Map<string, (typeof rows)[number]>();
    for (const r of rows) if (!chosen.has(r.user_id) || r.connection_id === r.source) chosen.set(r.user_id, r);
    const taken = new Set<string>();
    for (const r of chosen.values()) {
      if (taken.has(r.external_id_normalized)) continue;
      taken.add(r.external_id_normalized);
      await qi.sequelize.query('UPDATE users SET external_id = :v, external_id_normalized = :n WHERE id = :id', { replacements: { v: r.external_id, n: r.external_id_normalized, id: r.user_id } });
    }
    await qi.addIndex('users', ['external_id_normalized'], { unique: true, name: 'users_external_id_normalized_unique' });
    await qi.removeIndex('scim_tokens', 'scim_tokens_connection');
    await dropColumn(qi, 'scim_tokens', 'connection_id');
    await qi.dropTable('user_external_ids');
    await qi.dropTable('provisioning_connections');
  },
};
