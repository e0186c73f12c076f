// Many single-table INSERTs as few multi-row ones: statements into the same table with the
// same columns are joined into one, in the order each table first appears (so a table whose
// rows others refer to, written first, stays first). Statements that are not plain
// `INSERT INTO t (…) VALUES (…)` keep their place between the joined ones' first appearances.
import type { Param, Statement } from './sql.js';

/** Below SQLite's (32,766) and MySQL's (65,535) limits on placeholders per statement. */
const MAX_PARAMS = 30_000;

const INSERT = /^(INSERT INTO \S+ \([^)]*\) VALUES )(.*)$/s;

export function coalesceInserts(statements: readonly Statement[]): Statement[] {
  const groups = new Map<string, Array<{ tuples: string[]; params: Param[] }>>();
  const order: Array<string | Statement> = [];
  for (const s of statements) {
    const match = INSERT.exec(s.sql);
    if (!match) {
      order.push(s);
      continue;
    }
    const head = match[1]!;
    let parts = groups.get(head);
    if (!parts) {
      parts = [{ tuples: [], params: [] }];
      groups.set(head, parts);
      order.push(head);
    }
    let last = parts[parts.length - 1]!;
    if (last.params.length && last.params.length + s.params.length > MAX_PARAMS) {
      last = { tuples: [], params: [] };
      parts.push(last);
    }
    last.tuples.push(match[2]!);
    last.params.push(...s.params);
  }
  return order.flatMap((o) => (typeof o === 'string' ? groups.get(o)!.map((p) => ({ sql: o + p.tuples.join(','), params: p.params })) : [o]));
}
