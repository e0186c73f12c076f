// `cli restore`: a backup into an empty database migrated to the same level, in one
// transaction (all of it or nothing). Tables are emptied of what a fresh start wrote and
// filled in the file's order (each after those it references); foreign keys are checked
// at commit on SQLite and trusted from the source on MySQL/MariaDB (a backup is one
// consistent snapshot). Explicit ids raise the auto-increment counters as they are
// inserted on both. Sealed secrets must open with the key the restored Gatehouse will use
// (ENCRYPTION_KEY, else the stored key the backup carries): otherwise nothing is written
// and the refusal says what could not be opened and how to supply the key.
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { MIGRATIONS_TABLE } from '../db/migrator.js';
import { refused } from './backup-refused.js';
import { SecretBox, STORED_KEY } from '../crypto/secret-box.js';
import { SEALED_COLUMNS, type SealedColumn } from '../crypto/sealed-columns.js';
import { decodeValue, type BackupHeader } from './backup-format.js';
import { readBackup, readHeader } from './backup-reader.js';
import { describeTable, quoted, tableNames, type TableShape } from './schema-tables.js';
import { tablesWithData } from './empty-database.js';

/** Rows per multi-row INSERT: outbox messages carry a few KB each, far below max_allowed_packet. */
const INSERT_CHUNK = 200;

export interface RestoreOptions {
  /** ENCRYPTION_KEY of the restored Gatehouse, if set. */
  encryptionKey: string | null;
}

export interface RestoreSummary {
  header: BackupHeader;
  tables: number;
  rows: number;
}

async function appliedMigrations(db: Database): Promise<string[]> {
  const rows = await db.sequelize.query<{ name: string }>(`SELECT name FROM ${quoted(db, MIGRATIONS_TABLE)} ORDER BY name`, { type: QueryTypes.SELECT, raw: true });
  return rows.map((r) => r.name);
}

/** The target's tables, checked against the file's: the same tables with the same columns. */
async function matchingShapes(db: Database, header: BackupHeader): Promise<Map<string, TableShape>> {
  const target = new Set(await tableNames(db));
  const shapes = new Map<string, TableShape>();
  for (const t of header.tables) {
    if (!target.has(t.name)) throw refused(`The backup has a table ${t.name} that this database lacks.`);
    const shape = await describeTable(db, t.name);
    const here = shape.columns.map((c) => c.name).sort().join(',');
    if (here !== [...t.columns].sort().join(',')) throw refused(`The columns of ${t.name} differ between the backup and this database.`);
    shapes.set(t.name, shape);
    target.delete(t.name);
  }
  if (target.size) throw refused(`This database has tables the backup lacks: ${[...target].join(', ')}.`);
  return shapes;
}

/** The key that will open the restored secrets: ENCRYPTION_KEY, else the stored one in the file. */
async function restoredKey(file: string, options: RestoreOptions): Promise<SecretBox | null> {
  if (options.encryptionKey) return SecretBox.forKey(options.encryptionKey);
  for await (const e of readBackup(file)) {
    if (e.type === 'row' && e.table === 'settings' && e.values[e.columns.indexOf('key')] === STORED_KEY) {
      return SecretBox.forKey(JSON.parse(String(e.values[e.columns.indexOf('value')])) as string);
    }
  }
  return null;
}

function unopenedMessage(header: BackupHeader, options: RestoreOptions, unopened: Map<SealedColumn, number>): string {
  const lost = [...unopened].map(([c, n]) => `${n} × ${c.what} (${c.table}.${c.column})`).join(', ');
  let how: string;
  if (options.encryptionKey && header.encryptionKey === 'stored' && header.keys === 'included') {
    how = 'ENCRYPTION_KEY is set here but the source sealed them with the key it stored, which the backup carries: restore without ENCRYPTION_KEY.';
  } else if (header.encryptionKey === 'configured') {
    how = "The source sealed them with its ENCRYPTION_KEY: set the same ENCRYPTION_KEY for the restore (and keep it set for the restored Gatehouse).";
  } else {
    how = 'The source kept its encryption key in its database and this backup leaves it out: make the backup again with --include-keys.';
  }
  return `Nothing was restored: the encryption key at hand does not open ${lost}. ${how}`;
}

export async function restoreBackup(db: Database, file: string, options: RestoreOptions): Promise<RestoreSummary> {
  const header = await readHeader(file);
  const applied = await appliedMigrations(db);
  if (header.migrations.join(',') !== applied.join(',')) {
    throw refused(`The backup was made at migration ${header.migrations.at(-1) ?? 'none'} and this database is at ${applied.at(-1) ?? 'none'}: restore with the Gatehouse version that made the backup, then upgrade.`);
  }
  const shapes = await matchingShapes(db, header);
  const box = await restoredKey(file, options);

  return db.unbounded(() =>
    db.sequelize.transaction(async (transaction) => {
      const run = (sql: string) => db.sequelize.query(sql, { transaction });
      const holding = await tablesWithData(db, [...shapes.keys()], transaction);
      if (holding.length) {
        throw refused(`The database is not empty (${holding.map((h) => `${h.table}: ${h.rows}`).join(', ')}): a restore goes only into a new database, created and migrated (or started once, before the owner is created).`);
      }
      // The pooled connection must not keep foreign key checks off, whatever happens.
      if (db.dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 0');
      try {
        return await fill(db, file, header, shapes, box, options, transaction);
      } finally {
        if (db.dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 1');
      }
    }),
  );
}

/** Empties the tables and inserts the file's rows, counting sealed values the key does not open. */
async function fill(db: Database, file: string, header: BackupHeader, shapes: Map<string, TableShape>, box: SecretBox | null, options: RestoreOptions, transaction: Transaction): Promise<RestoreSummary> {
  const run = (sql: string) => db.sequelize.query(sql, { transaction });
  // SQLite checks foreign keys at commit, when every table is filled.
  if (db.dialect === 'sqlite') await run('PRAGMA defer_foreign_keys = ON');
  const sealed = new Map(SEALED_COLUMNS.map((c) => [`${c.table}.${c.column}`, c]));
  for (const t of [...header.tables].reverse()) await run(`DELETE FROM ${quoted(db, t.name)}`);

  const unopened = new Map<SealedColumn, number>();
  let batch: Record<string, unknown>[] = [];
  let rows = 0;
  const flush = async (table: string) => {
    if (batch.length) await db.sequelize.getQueryInterface().bulkInsert(table, batch, { transaction });
    rows += batch.length;
    batch = [];
  };
  for await (const e of readBackup(file)) {
    if (e.type === 'end') await flush(e.table);
    if (e.type !== 'row') continue;
    const kinds = new Map(shapes.get(e.table)!.columns.map((c) => [c.name, c.kind]));
    const row: Record<string, unknown> = {};
    e.columns.forEach((column, i) => {
      const value = decodeValue(e.values[i] ?? null, kinds.get(column)!);
      const secret = sealed.get(`${e.table}.${column}`);
      if (secret && typeof value === 'string' && !opens(box, value)) unopened.set(secret, (unopened.get(secret) ?? 0) + 1);
      row[column] = value;
    });
    batch.push(row);
    if (batch.length >= INSERT_CHUNK) await flush(e.table);
  }
  if (unopened.size) throw refused(unopenedMessage(header, options, unopened));
  return { header, tables: header.tables.length, rows };
}

function opens(box: SecretBox | null, sealed: string): boolean {
  if (!box) return false;
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}

