// sortBy/sortOrder (RFC 7644 §3.4.2.3) as an ORDER BY clause: case-insensitive attributes
// sort by their lower-case form, case-exact ones by their exact value; resources without a
// value sort last when ascending and first when descending; the resource id breaks ties so
// pages never overlap or skip.
import type { Dialect } from '../../src/db/database.js';
import { invalidValue } from '../errors.js';
import { pathText } from './filter-ast.js';
import { parseAttrPath } from './filter-parser.js';
import { attrIn, type Attr, type ResourceAttributes } from './attribute-map.js';
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
    if (!inner || (attr.kind === 'multi' && attr.scope.type !== 'row')) throw invalidValue(`Cannot sort by "${pathText(path)}".`);
    attr = inner;
  } else if (path.sub) {
    throw invalidValue(`Cannot sort by "${pathText(path)}": no such attribute.`);
  }
  const tie = `${resource.idColumn} ASC`;
  if (attr.kind === 'const' || attr.kind === 'complex' || attr.kind === 'multi') return `${resource.defaultOrder}`;
  if (attr.kind === 'boolean') return `CASE WHEN ${attr.whenTrue} THEN 1 ELSE 0 END ${dir}, ${tie}`;
  const expr =
    attr.type === 'dateTime' ? attr.column
    : !attr.caseExact ? attr.normalized ?? `LOWER(${attr.column})`
    : dialect === 'mysql' ? `${attr.column} COLLATE utf8mb4_bin`
    : attr.column;
  const nulls = attr.nullable ? `CASE WHEN ${attr.column} IS NULL THEN 1 ELSE 0 END ${dir}, ` : '';
  return `${nulls}${expr} ${dir}, ${tie}`;
}
