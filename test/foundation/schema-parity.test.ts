// Migrations produce the same schema on SQLite and MariaDB (every migration is portable, so
// either database may run Gatehouse): tables, columns, indexes and foreign keys compared as
// dialect-neutral data. This one suite needs both databases at once, so it opens them
// itself instead of using describeEachDatabase; without TEST_MYSQL_URL it skips (and fails
// under CI=true).
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { MIGRATIONS } from '../../migrations/index.js';
import { MIGRATIONS_TABLE, pendingMigrations } from '../../src/db/migrator.js';
import type { Database } from '../../src/db/database.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { requireServer } from '../helpers/require-server.js';
import { schemaSnapshot, typeFamily, type SchemaSnapshot } from '../helpers/schema-snapshot.js';
import { openTestDatabase, TEST_MYSQL_URL } from '../helpers/test-databases.js';

describe('schema parity: SQLite and MariaDB', function () {
  const opened: Array<{ db: Database; drop(): Promise<void> }> = [];
  let sqlite: SchemaSnapshot;
  let mysql: SchemaSnapshot;

  before(async function () {
    requireServer(this, !!TEST_MYSQL_URL, 'MariaDB/MySQL for the schema parity test (set TEST_MYSQL_URL)');
    const a = await openTestDatabase(this, 'sqlite');
    opened.push(a);
    const b = await openTestDatabase(this, 'mysql');
    opened.push(b);
    // umzug owns the migrations table; on MySQL its model adds a redundant unique index
    // beside the primary key. Its columns are still compared.
    sqlite = await schemaSnapshot(a.db, { skipIndexesOf: [MIGRATIONS_TABLE] });
    mysql = await schemaSnapshot(b.db, { skipIndexesOf: [MIGRATIONS_TABLE] });
  });

  after(async () => {
    for (const o of opened) await o.drop();
  });

  it('reads real schemas (the comparison is not of two empty pictures)', () => {
    expect(sqlite.users.columns.email_normalized).to.deep.equal({ type: 'string(320)', allowNull: true, primaryKey: false, defaultValue: null });
    expect(sqlite.users.indexes.users_email_normalized_unique).to.deep.equal({ columns: ['email_normalized'], unique: true });
    expect(mysql.user_roles.foreignKeys).to.deep.include({ column: 'role_id', references: 'roles.id', onDelete: 'RESTRICT' });
    for (const snapshot of [sqlite, mysql]) {
      for (const [table, shape] of Object.entries(snapshot)) {
        for (const [column, c] of Object.entries(shape.columns)) expect(c.type, `${table}.${column}`).not.to.match(/^unknown/);
      }
    }
  });

  it('has the same tables', () => {
    expect(Object.keys(mysql).sort()).to.deep.equal(Object.keys(sqlite).sort());
  });

  it('has the same columns: name, nullability, type family, default, primary key', () => {
    for (const table of Object.keys(sqlite)) {
      expect(mysql[table]?.columns, `columns of ${table}`).to.deep.equal(sqlite[table].columns);
    }
  });

  it('has the same indexes: name, columns in order, unique', () => {
    for (const table of Object.keys(sqlite)) {
      expect(mysql[table]?.indexes, `indexes of ${table}`).to.deep.equal(sqlite[table].indexes);
    }
  });

  it('has the same foreign keys and delete rules', () => {
    for (const table of Object.keys(sqlite)) {
      expect(mysql[table]?.foreignKeys, `foreign keys of ${table}`).to.deep.equal(sqlite[table].foreignKeys);
    }
  });
});

describe('schema type families', () => {
  it('maps each dialect spelling to one family and flags the rest', () => {
    expect(['VARCHAR(64)', 'varchar(64)'].map(typeFamily)).to.deep.equal(['string(64)', 'string(64)']);
    expect(['INTEGER', 'INT(11)', 'INT'].map(typeFamily)).to.deep.equal(['integer', 'integer', 'integer']);
    expect(['TINYINT(1)', 'BOOLEAN'].map(typeFamily)).to.deep.equal(['boolean', 'boolean']);
    expect(['DATETIME', 'DATETIME(3)'].map(typeFamily)).to.deep.equal(['datetime', 'datetime']);
    expect(typeFamily('DATE')).to.equal('date');
    expect(typeFamily('TEXT')).to.equal('text');
    expect(typeFamily('JSONB')).to.equal('unknown(JSONB)');
  });
});

describeEachDatabase('migrations', (h) => {
  it('records names without .ts/.js, in the listed order, with nothing pending', async () => {
    const rows = await h.db.sequelize.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`, { type: QueryTypes.SELECT });
    const names = rows.map((r) => r.name).sort();
    expect(names).to.deep.equal(MIGRATIONS.map((m) => m.name).sort());
    for (const name of names) expect(name).not.to.match(/\.(ts|js|mjs|cjs)$/);
    expect(await pendingMigrations(h.db)).to.deep.equal([]);
  });
});
