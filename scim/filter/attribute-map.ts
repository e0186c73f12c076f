// How a resource type's SCIM attributes live in the database, for filters and sorting
// (RFC 7644 §3.4.2.2-3): which column, whether comparisons are case-exact (RFC 7643
// "caseExact"), where a normalised lower-case copy with an index exists, and how a
// multi-valued attribute's values are reached (on the row itself, or in a joined table).
// Every SQL fragment here is a constant; values only ever travel as replacements.

/** A string or dateTime attribute stored in one column. */
export interface ColumnAttr {
  kind: 'column';
  /** binary values (RFC 7643 §2.3.6) are strings that cannot be ordered (RFC 7644 §3.4.2.2). */
  type: 'string' | 'dateTime' | 'binary';
  column: string;
  caseExact: boolean;
  /** A column holding normalize(value) (NFC, lower case) with an index: case-insensitive tests use it. */
  normalized?: string;
  /** An indexed column holding the first characters of `normalized`: equality tests narrow by it first. */
  indexKey?: string;
  nullable: boolean;
}

/** A boolean attribute derived from a never-null SQL predicate (active = status is 'active'). */
export interface BooleanAttr {
  kind: 'boolean';
  whenTrue: string;
}

/** An attribute whose value is the same for every resource (emails.type is always "work"). */
export interface ConstAttr {
  kind: 'const';
  value: string | boolean | null;
}

export interface ComplexAttr {
  kind: 'complex';
  subs: AttrTable;
}

/**
 * A multi-valued attribute. `row`: at most one value, kept on the resource's own row
 * (`presence` says whether it exists); `exists`: values are rows of a joined table, and
 * `order` picks the value sorting uses (RFC 7644 §3.4.2.3: the primary one, else the first).
 */
export interface MultiAttr {
  kind: 'multi';
  subs: AttrTable;
  scope: { type: 'row'; presence: string | null } | { type: 'exists'; from: string; link: string; order?: string };
}

export type ScalarAttr = ColumnAttr | BooleanAttr | ConstAttr;
export type Attr = ScalarAttr | ComplexAttr | MultiAttr;
/** Keyed by the attribute name in lower case (attribute names are case-insensitive, RFC 7643 §2.1). */
export type AttrTable = Record<string, Attr>;

export interface ResourceAttributes {
  resourceType: 'User' | 'Group';
  coreUri: string;
  /** FROM clause with the alias the columns use, e.g. "users u". */
  from: string;
  idColumn: string;
  core: AttrTable;
  /** Extension attributes by lower-case schema URN. */
  extensions: Record<string, AttrTable>;
  /** ORDER BY without sortBy: stable and index-backed. */
  defaultOrder: string;
}

/**
 * The attribute a client named, looked up among the table's own entries only: a name such
 * as "constructor" or "__proto__" must not find Object.prototype's members.
 */
export function attrIn(table: AttrTable | undefined, name: string): Attr | undefined {
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** An extension's attribute table by its lower-case schema URN, own entries only. */
export function extensionIn(resource: ResourceAttributes, uri: string): AttrTable | undefined {
  return Object.hasOwn(resource.extensions, uri) ? resource.extensions[uri] : undefined;
}

export const text = (column: string, options: Partial<Omit<ColumnAttr, 'kind' | 'type' | 'column'>> = {}): ColumnAttr => ({
  kind: 'column',
  type: 'string',
  column,
  caseExact: options.caseExact ?? false,
  normalized: options.normalized,
  nullable: options.nullable ?? true,
});

export const dateTime = (column: string): ColumnAttr => ({ kind: 'column', type: 'dateTime', column, caseExact: true, nullable: false });
export const constant = (value: string | boolean | null): ConstAttr => ({ kind: 'const', value });
