// sortBy/sortOrder (RFC 7644 §3.4.2.3) as an ORDER BY clause: case-insensitive attributes
// sort by their lower-case form, case-exact ones by their exact value; resources without a
// value sort last when ascending and first when descending; the resource id breaks ties so
// pages never overlap or skip.
import type { Dialect } from '../../src/db/database.js';
import { invalidValue } from '../errors.js';
import { pathText } from './filter-ast.js';
import { parseAttrPath } from './filter-parser.js';
import { attrIn, type Attr, type ColumnAttr, type ResourceAttributes } from './attribute-map.js';
import { resolveTop } from './resolve-attribute.js';

export function sortToSql(resource: ResourceAttributes, sortBy: string | undefined, descending: boolean, dialect: Dialect): string {
  const dir = descending ? 'DESC' : 'ASC';
  if (!sortBy) return descending ? resource.defaultOrder.replace(/ASC/g, 'DESC') : resource.defaultOrder;
  let path;
  let attr: Attr;
  try {
    path = parseAttrPath(sortBy);
    attr = resolveTop(resource, path);
  } catch {
    throw invalidValue(`Cannot sort by "${sortBy}": no such attribute.`);
  }
  if (attr.kind === 'complex' || attr.kind === 'multi') {
    const sub = path.sub ?? (attr.kind === 'multi' ? 'value' : null);
    const inner = sub ? attrIn(attr.subs, sub.toLowerCase()) : undefined;
    if (!inner || (attr.kind === 'multi' && attr.scope.type === 'exists' && !attr.scope.order)) throw invalidValue(`Cannot sort by "${pathText(path)}".`);
    if (attr.kind === 'multi' && attr.scope.type === 'exists' && inner.kind === 'column') return sortByValue(attr.scope, inner, dir, resource.idColumn, dialect);
    attr = inner;
  } else if (path.sub) {
    throw invalidValue(`Cannot sort by "${pathText(path)}": no such attribute.`);
  }
  const tie = `${resource.idColumn} ASC`;
  if (attr.kind === 'const' || attr.kind === 'complex' || attr.kind === 'multi') return `${resource.defaultOrder}`;
  if (attr.kind === 'boolean') return `CASE WHEN ${attr.whenTrue} THEN 1 ELSE 0 END ${dir}, ${tie}`;
  const expr = sortExpression(attr, dialect);
  const nulls = attr.nullable ? `CASE WHEN ${attr.column} IS NULL THEN 1 ELSE 0 END ${dir}, ` : '';
  return `${nulls}${expr} ${dir}, ${tie}`;
}

function sortExpression(attr: ColumnAttr, dialect: Dialect): string {
  if (attr.type === 'dateTime') return attr.column;
  if (!attr.caseExact) return attr.normalized ?? `LOWER(${attr.column})`;
  return dialect === 'mysql' ? `${attr.column} COLLATE utf8mb4_bin` : attr.column;
}

/**
 * A multi-valued attribute kept in another table sorts by one value of each resource: the
 * one its scope's order puts first (the primary value, else the first). Resources without
 * a value sort last when ascending.
 */
function sortByValue(scope: { from: string; link: string; order?: string }, attr: ColumnAttr, dir: string, idColumn: string, dialect: Dialect): string {
  const picked = `(SELECT ${sortExpression(attr, dialect)} FROM ${scope.from} WHERE ${scope.link} ORDER BY ${scope.order} LIMIT 1)`;
  return `CASE WHEN ${picked} IS NULL THEN 1 ELSE 0 END ${dir}, ${picked} ${dir}, ${idColumn} ASC`;
}
