// Translates a parsed SCIM filter into a SQL condition with named replacements (values are
// never concatenated into SQL), so filtering, sorting and paging run in the database
// (a measured pitfall: scimmy's Filter.match filters in memory and crashes
// on sparse records). Semantics (RFC 7644 §3.4.2.2):
// - Two-valued logic: every test is TRUE or FALSE, never SQL NULL, so "not" and "ne" also
//   match resources where the attribute is absent, and gt/lt/co… never match an absent one.
// - caseExact:false attributes (RFC 7643) compare case-insensitively: through the indexed
//   *_normalized column where one exists, else LOWER() on both sides (SQLite's LOWER folds
//   ASCII only, so non-ASCII case folding there needs a normalized column).
// - caseExact:true attributes compare exactly on both dialects (MySQL's default collation is
//   case-insensitive, so those tests use utf8mb4_bin, after an index-friendly prefilter).
// - A multi-valued attribute matches when some value matches; `attr[filter]` requires one
//   value to satisfy the whole inner filter.
// - gt/ge/lt/le on booleans or binary values, and co/sw/ew on booleans or dates, are invalid
//   (400 invalidFilter).
import type { Dialect } from '../../src/db/database.js';
import { normalize } from '../../src/users/user-validation.js';
import { invalidFilter, ScimError } from '../errors.js';
import { pathText, type AttrPath, type CompareOp, type CompValue, type FilterNode } from './filter-ast.js';
import { attrIn, type Attr, type AttrTable, type ColumnAttr, type MultiAttr, type ResourceAttributes, type ScalarAttr } from './attribute-map.js';
import { resolveTop } from './resolve-attribute.js';

export interface SqlCondition {
  sql: string;
  replacements: Record<string, unknown>;
}

/** The length of the indexed prefix columns (user_values.value_key). */
const INDEX_KEY_LENGTH = 191;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const SQL_OP: Record<string, string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
const ORDERING = new Set<CompareOp>(['gt', 'ge', 'lt', 'le']);
const TRUE = '1=1';
const FALSE = '1=0';

export class SqlParams {
  readonly replacements: Record<string, unknown> = {};
  private n = 0;
  constructor(private readonly prefix = 'f') {}
  add(value: unknown): string {
    const key = `${this.prefix}${this.n++}`;
    this.replacements[key] = value;
    return `:${key}`;
  }
}

/**
 * `unknownAsAbsent`: for a search across resource types (POST /.search), an attribute one
 * type lacks is absent on its resources rather than an error (RFC 7644 §3.4.3).
 */
export function filterToSql(node: FilterNode, resource: ResourceAttributes, dialect: Dialect, options: { unknownAsAbsent?: boolean } = {}, params = new SqlParams()): SqlCondition {
  const compiler = new Compiler(resource, dialect, params, !!options.unknownAsAbsent);
  return { sql: compiler.compile(node, null), replacements: params.replacements };
}

class Compiler {
  constructor(
    private readonly resource: ResourceAttributes,
    private readonly dialect: Dialect,
    private readonly params: SqlParams,
    private readonly unknownAsAbsent: boolean,
  ) {}

  private resolve(path: AttrPath): Attr {
    try {
      return resolveTop(this.resource, path);
    } catch (err) {
      if (this.unknownAsAbsent && err instanceof ScimError && /^Unknown/.test(err.detail)) return { kind: 'const', value: null };
      throw err;
    }
  }

  /** `element`: inside attr[...], paths name sub-attributes of that attribute's values. */
  compile(node: FilterNode, element: AttrTable | null): string {
    switch (node.type) {
      case 'and':
      case 'or':
        return `(${this.compile(node.left, element)} ${node.type.toUpperCase()} ${this.compile(node.right, element)})`;
      case 'not':
        return `(NOT ${this.compile(node.filter, element)})`;
      case 'valuePath': {
        const attr = this.resolve(node.path);
        if (attr.kind === 'const') return FALSE;
        if (attr.kind !== 'multi' || node.path.sub) throw invalidFilter(`"${pathText(node.path)}[…]": value filters apply to multi-valued attributes only.`);
        return this.withinValue(attr, this.compile(node.filter, attr.subs));
      }
      case 'present':
      case 'compare':
        return element ? this.testElement(node, element) : this.testTop(node);
    }
  }

  private testElement(node: Extract<FilterNode, { type: 'present' | 'compare' }>, element: AttrTable): string {
    const attr = attrIn(element, node.path.attr.toLowerCase());
    if (!attr || node.path.sub || attr.kind === 'complex' || attr.kind === 'multi') throw invalidFilter(`Unknown or unsupported sub-attribute "${pathText(node.path)}".`);
    return this.scalar(attr, node, pathText(node.path));
  }

  private testTop(node: Extract<FilterNode, { type: 'present' | 'compare' }>): string {
    const attr = this.resolve(node.path);
    const name = pathText(node.path);
    if (attr.kind === 'const' && attr.value === null) return FALSE;
    if (attr.kind === 'complex') {
      if (!node.path.sub) {
        if (node.type === 'present') return `(${Object.values(attr.subs).map((s) => this.scalar(s as ScalarAttr, node, name)).join(' OR ')})`;
        throw invalidFilter(`"${name}" is complex: compare one of its sub-attributes, e.g. ${name}.${Object.keys(attr.subs)[0]}.`);
      }
      const sub = attrIn(attr.subs, node.path.sub.toLowerCase());
      if (!sub || sub.kind === 'complex' || sub.kind === 'multi') throw invalidFilter(`Unknown or unsupported attribute "${name}".`);
      return this.scalar(sub, node, name);
    }
    if (attr.kind === 'multi') {
      if (node.type === 'present' && !node.path.sub) return this.anyValue(attr);
      // RFC 7644 §3.4.2.2: a multi-valued attribute without a sub-attribute means its "value".
      const subName = (node.path.sub ?? 'value').toLowerCase();
      const sub = attrIn(attr.subs, subName);
      if (!sub || sub.kind === 'complex' || sub.kind === 'multi') throw invalidFilter(`Unknown or unsupported attribute "${name}".`);
      return this.withinValue(attr, this.scalar(sub, node, name));
    }
    if (node.path.sub) throw invalidFilter(`"${node.path.attr}" has no sub-attribute "${node.path.sub}".`);
    return this.scalar(attr, node, name);
  }

  private anyValue(attr: MultiAttr): string {
    if (attr.scope.type === 'row') return attr.scope.presence ? `(${attr.scope.presence})` : TRUE;
    return `EXISTS (SELECT 1 FROM ${attr.scope.from} WHERE ${attr.scope.link})`;
  }

  private withinValue(attr: MultiAttr, condition: string): string {
    if (attr.scope.type === 'row') return attr.scope.presence ? `(${attr.scope.presence} AND ${condition})` : condition;
    return `EXISTS (SELECT 1 FROM ${attr.scope.from} WHERE ${attr.scope.link} AND ${condition})`;
  }

  private scalar(attr: ScalarAttr, node: Extract<FilterNode, { type: 'present' | 'compare' }>, name: string): string {
    if (node.type === 'present') {
      if (attr.kind === 'const') return attr.value === null ? FALSE : TRUE;
      if (attr.kind === 'boolean') return TRUE;
      return attr.nullable ? `(${attr.column} IS NOT NULL)` : TRUE;
    }
    const { op, value } = node;
    if (attr.kind === 'column' && attr.type === 'binary' && ORDERING.has(op)) throw invalidFilter(`"${op}" does not apply to the binary attribute "${name}".`);
    if (op === 'ne') return `(NOT ${this.scalar(attr, { ...node, op: 'eq' }, name)})`;
    if (attr.kind === 'const') return this.constant(attr.value, op, value, name);
    if (attr.kind === 'boolean') {
      const wanted = booleanValue(value, op, name);
      return wanted ? `(${attr.whenTrue})` : `(NOT (${attr.whenTrue}))`;
    }
    const test = attr.type === 'dateTime' ? this.dateTest(attr, op, value, name) : this.stringTest(attr, op, value, name);
    return attr.nullable ? `(${attr.column} IS NOT NULL AND ${test})` : `(${test})`;
  }

  private dateTest(attr: ColumnAttr, op: CompareOp, value: CompValue, name: string): string {
    if (!SQL_OP[op]) throw invalidFilter(`"${op}" does not apply to the dateTime attribute "${name}".`);
    if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
      throw invalidFilter(`"${name}" is a dateTime: compare it with a string such as "2030-01-01T09:00:00Z".`);
    }
    return `${attr.column} ${SQL_OP[op]} ${this.params.add(new Date(value))}`;
  }

  private stringTest(attr: ColumnAttr, op: CompareOp, value: CompValue, name: string): string {
    if (typeof value !== 'string') throw invalidFilter(`"${name}" is a string: compare it with a "quoted string".`);
    const mysql = this.dialect === 'mysql';
    // Equality narrows by the indexed prefix of the normalised value first, where there is one.
    const keyed = op === 'eq' && attr.indexKey ? `${attr.indexKey} = ${this.params.add(normalize(value).slice(0, INDEX_KEY_LENGTH))} AND ` : '';
    if (!attr.caseExact) {
      const expr = attr.normalized ?? `LOWER(${attr.column})`;
      const param = (v: string) => (attr.normalized ? this.params.add(normalize(v)) : `LOWER(${this.params.add(v)})`);
      if (SQL_OP[op]) return `${keyed}${expr} ${SQL_OP[op]} ${param(value)}`;
      return `${expr} LIKE ${param(likePattern(attr.normalized ? normalize(value) : value, op))} ESCAPE '!'`;
    }
    const exact = mysql ? `${attr.column} COLLATE utf8mb4_bin` : attr.column;
    if (op === 'eq') {
      // An index-backed prefilter first (the normalized column, or the column itself whose
      // MySQL collation ignores case), then the exact comparison.
      const prefilter = attr.normalized ? `${attr.normalized} = ${this.params.add(normalize(value))} AND ` : mysql ? `${attr.column} = ${this.params.add(value)} AND ` : '';
      return `${keyed}${prefilter}${exact} = ${this.params.add(value)}`;
    }
    if (SQL_OP[op]) return `${exact} ${SQL_OP[op]} ${this.params.add(value)}`;
    if (mysql) return `${exact} LIKE ${this.params.add(likePattern(value, op))} ESCAPE '!'`;
    // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive.
    return `${attr.column} GLOB ${this.params.add(globPattern(value, op))}`;
  }

  private constant(actual: string | boolean | null, op: CompareOp, value: CompValue, name: string): string {
    if (typeof actual === 'boolean') return booleanValue(value, op, name) === actual ? TRUE : FALSE;
    if (typeof value !== 'string') throw invalidFilter(`"${name}" is a string: compare it with a "quoted string".`);
    if (actual === null) return FALSE;
    const a = normalize(actual);
    const v = normalize(value);
    const hit = { eq: a === v, co: a.includes(v), sw: a.startsWith(v), ew: a.endsWith(v), gt: a > v, ge: a >= v, lt: a < v, le: a <= v }[op as Exclude<CompareOp, 'ne'>];
    return hit ? TRUE : FALSE;
  }
}

function booleanValue(value: CompValue, op: CompareOp, name: string): boolean {
  if (op !== 'eq') throw invalidFilter(`"${op}" does not apply to the boolean attribute "${name}".`);
  // Entra ID sends booleans as "True"/"False" strings in places; accept them here too.
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidFilter(`"${name}" is a boolean: compare it with true or false.`);
}

function likePattern(value: string, op: CompareOp): string {
  const v = value.replace(/[!%_]/g, (c) => `!${c}`);
  if (op === 'co') return `%${v}%`;
  if (op === 'sw') return `${v}%`;
  return `%${v}`;
}

function globPattern(value: string, op: CompareOp): string {
  const v = value.replace(/[*?[]/g, (c) => `[${c}]`);
  if (op === 'co') return `*${v}*`;
  if (op === 'sw') return `${v}*`;
  return `*${v}`;
}

export type { Attr };
