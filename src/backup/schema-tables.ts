// The tables a backup holds, as the database describes them: every table but the
// migrations' own record, each after the tables it references (so rows insert in order).
import type { Database } from '../db/database.js';
import { MIGRATIONS_TABLE } from '../db/migrator.js';
import { columnKind, type ColumnKind } from './backup-format.js';

export interface TableShape {
  name: string;
  columns: Array<{ name: string; kind: ColumnKind }>;
  primaryKey: string[];
}

export async function tableNames(db: Database): Promise<string[]> {
  const all = await db.sequelize.getQueryInterface().showAllTables();
  return all.map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)).filter((t) => t !== MIGRATIONS_TABLE);
}

export async function describeTable(db: Database, name: string): Promise<TableShape> {
  const described = await db.sequelize.getQueryInterface().describeTable(name);
  const columns = Object.entries(described).map(([column, d]) => ({ name: column, kind: columnKind(d.type), primaryKey: d.primaryKey }));
  return { name, columns: columns.map(({ name: n, kind }) => ({ name: n, kind })), primaryKey: columns.filter((c) => c.primaryKey).map((c) => c.name) };
}

/** Tables ordered so each comes after those its foreign keys reference (by name among equals). */
export async function inDependencyOrder(db: Database, names: string[]): Promise<string[]> {
  const qi = db.sequelize.getQueryInterface();
  const references = new Map<string, Set<string>>();
  for (const name of names) {
    const refs = (await qi.getForeignKeyReferencesForTable(name)) as Array<{ referencedTableName?: string }>;
    references.set(name, new Set(refs.map((r) => r.referencedTableName).filter((t): t is string => !!t && t !== name && names.includes(t))));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return; // a cycle: foreign keys are checked at commit (restore)
    path.add(name);
    for (const dep of [...references.get(name)!].sort()) visit(dep, path);
    path.delete(name);
    placed.add(name);
    ordered.push(name);
  };
  for (const name of [...names].sort()) visit(name, new Set());
  return ordered;
}

export function quoted(db: Database, identifier: string): string {
  return db.sequelize.getQueryInterface().quoteIdentifier(identifier);
}
