// A dialect-neutral picture of a migrated schema: tables, columns (name, nullability,
// type family, default, primary key), indexes (name, columns in order, unique) and
// foreign keys, so the SQLite and MariaDB schemas can be compared as plain data.
import { QueryTypes } from 'sequelize';
import type { Database } from '../../src/db/database.js';

export interface ColumnShape {
  type: string;
  allowNull: boolean;
  primaryKey: boolean;
  defaultValue: string | null;
}

export interface IndexShape {
  columns: string[];
  unique: boolean;
}

export interface ForeignKeyShape {
  column: string;
  references: string;
  onDelete: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  indexes: Record<string, IndexShape>;
  foreignKeys: ForeignKeyShape[];
}

export type SchemaSnapshot = Record<string, TableShape>;

/**
 * The portable type families of migrations/columns.ts. Anything else comes out as
 * `unknown(...)`, which fails the comparison loudly instead of being waved through.
 */
export function typeFamily(raw: string): string {
  const t = raw.trim().toUpperCase();
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^(?:VARCHAR|CHARACTER VARYING)\((\d+)\)$/))) return `string(${m[1]})`;
  if (/^(TEXT|MEDIUMTEXT|LONGTEXT)$/.test(t)) return 'text';
  if (/^(TINYINT\(1\)|BOOLEAN)$/.test(t)) return 'boolean';
  if (/^(INTEGER|INT(\(\d+\))?)( UNSIGNED)?$/.test(t)) return 'integer';
  // 64 bits on both (SQLite's INTEGER affinity stores up to 8 bytes).
  if (/^BIGINT(\(\d+\))?( UNSIGNED)?$/.test(t)) return 'bigint';
  if (/^DATETIME(\(\d\))?$/.test(t)) return 'datetime';
  if (t === 'DATE') return 'date';
  return `unknown(${raw})`;
}

function normaliseDefault(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v).replace(/^'(.*)'$/, '$1');
  return s.toUpperCase() === 'NULL' ? null : s;
}

async function tableNames(db: Database): Promise<string[]> {
  const tables = await db.sequelize.getQueryInterface().showAllTables();
  return tables.map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)).filter((t) => !t.startsWith('sqlite_')).sort();
}

interface RawIndex {
  name: string;
  unique: boolean;
  primary?: boolean;
  origin?: string;
  fields: Array<{ attribute: string }>;
}

async function indexesOf(db: Database, table: string): Promise<Record<string, IndexShape>> {
  const raw = (await db.sequelize.getQueryInterface().showIndex(table)) as unknown as RawIndex[];
  const out: Record<string, IndexShape> = {};
  for (const index of raw) {
    // The primary key is compared per column; SQLite names its index sqlite_autoindex_*_N
    // (origin "pk"), MySQL calls it PRIMARY.
    if (index.primary || index.origin === 'pk' || index.name === 'PRIMARY') continue;
    out[index.name] = { columns: index.fields.map((f) => f.attribute), unique: !!index.unique };
  }
  return out;
}

async function foreignKeysOf(db: Database, table: string): Promise<ForeignKeyShape[]> {
  let rows: ForeignKeyShape[];
  if (db.dialect === 'sqlite') {
    const list = await db.sequelize.query<{ table: string; from: string; to: string; on_delete: string }>(`PRAGMA foreign_key_list(\`${table}\`)`, { type: QueryTypes.SELECT });
    rows = list.map((r) => ({ column: r.from, references: `${r.table}.${r.to}`, onDelete: r.on_delete.toUpperCase() }));
  } else {
    const list = await db.sequelize.query<{ column_name: string; ref_table: string; ref_column: string; delete_rule: string }>(
      `SELECT k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_column, r.DELETE_RULE AS delete_rule
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = :table AND k.REFERENCED_TABLE_NAME IS NOT NULL`,
      { type: QueryTypes.SELECT, replacements: { table } },
    );
    rows = list.map((r) => ({ column: r.column_name, references: `${r.ref_table}.${r.ref_column}`, onDelete: r.delete_rule.toUpperCase() }));
  }
  return rows.sort((a, b) => a.column.localeCompare(b.column));
}

/** Reads the schema of every table; `skipIndexesOf` names tables whose indexes are not ours. */
export async function schemaSnapshot(db: Database, options: { skipIndexesOf?: string[] } = {}): Promise<SchemaSnapshot> {
  const qi = db.sequelize.getQueryInterface();
  const snapshot: SchemaSnapshot = {};
  for (const table of await tableNames(db)) {
    const described = await qi.describeTable(table);
    const keyColumns = Object.values(described).filter((c) => c.primaryKey).length;
    const columns: Record<string, ColumnShape> = {};
    for (const [name, c] of Object.entries(described)) {
      const type = typeFamily(c.type);
      // SQLite's INTEGER PRIMARY KEY is the rowid: it reports notnull=0 because inserting
      // NULL means "assign the next id", yet it can never hold NULL.
      const rowid = db.dialect === 'sqlite' && type === 'integer' && c.primaryKey && keyColumns === 1;
      columns[name] = { type, allowNull: rowid ? false : c.allowNull, primaryKey: c.primaryKey, defaultValue: normaliseDefault(c.defaultValue) };
    }
    snapshot[table] = {
      columns,
      indexes: options.skipIndexesOf?.includes(table) ? {} : await indexesOf(db, table),
      foreignKeys: await foreignKeysOf(db, table),
    };
  }
  return snapshot;
}
