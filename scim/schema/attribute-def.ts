// One declaration per SCIM attribute: its RFC 7643 §7 characteristics (what /Schemas says)
// together with where Gatehouse keeps it (what filters and sorting query, what the mapper
// reads and writes). /Schemas, /ResourceTypes, inbound validation, PATCH and filters are all
// derived from these declarations, so what is advertised is what the server does.
import type { Attr, MultiAttr } from '../filter/attribute-map.js';

export type ScimType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** Where a scalar's value lives in SQL (see filter/attribute-map.ts). */
export type SqlPlace =
  | { column: string; normalized?: string; indexKey?: string; nullable?: boolean }
  | { whenTrue: string }
  | { constant: string | boolean | null };

export interface AttributeDef {
  name: string;
  type: ScimType;
  description: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
  /** Scalars: the SQL place; multi-valued: where their values are. Absent: not filterable (password). */
  sql?: SqlPlace | { scope: MultiAttr['scope'] };
  /** The account field a scalar maps to (UserView and ProfileInput share the name). */
  field?: string;
  /** Common attributes (RFC 7643 §3.1) and meta are filterable but not listed in /Schemas. */
  listed?: boolean;
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

/** A readWrite, optional, non-unique, case-insensitive, single-valued attribute unless told otherwise. */
export function attribute(name: string, type: ScimType, description: string, options: Options = {}): AttributeDef {
  return {
    name,
    type,
    description,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

/** The attribute of `defs` with this name, ignoring case (RFC 7643 §2.1); own entries only. */
export function findDef(defs: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return defs?.find((d) => d.name.toLowerCase() === lower);
}

/** An attribute as /Schemas lists it (RFC 7643 §7). */
export function describeAttribute(d: AttributeDef): Record<string, unknown> {
  return {
    name: d.name,
    type: d.type,
    multiValued: d.multiValued,
    description: d.description,
    required: d.required,
    ...(d.type === 'string' || d.type === 'reference' || d.type === 'binary' ? { caseExact: d.caseExact } : {}),
    ...(d.canonicalValues ? { canonicalValues: d.canonicalValues } : {}),
    ...(d.referenceTypes ? { referenceTypes: d.referenceTypes } : {}),
    mutability: d.mutability,
    returned: d.returned,
    uniqueness: d.uniqueness,
    ...(d.subAttributes ? { subAttributes: d.subAttributes.map(describeAttribute) } : {}),
  };
}

export function describeSchema(s: SchemaDef, location: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.filter((a) => a.listed !== false).map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${location}/${s.id}` },
  };
}

/** The filter and sort map of a schema's attributes, keyed by lower-case name. */
export function filterTable(defs: readonly AttributeDef[]): Record<string, Attr> {
  const out: Record<string, Attr> = {};
  for (const d of defs) {
    const attr = filterAttr(d);
    if (attr) out[d.name.toLowerCase()] = attr;
  }
  return out;
}

function filterAttr(d: AttributeDef): Attr | null {
  if (d.type === 'complex') {
    const subs = filterTable(d.subAttributes ?? []);
    if (d.multiValued) return d.sql && 'scope' in d.sql ? { kind: 'multi', scope: d.sql.scope, subs } : null;
    return { kind: 'complex', subs };
  }
  const place = d.sql;
  if (!place || 'scope' in place) return null;
  if ('constant' in place) return { kind: 'const', value: place.constant };
  if ('whenTrue' in place) return { kind: 'boolean', whenTrue: place.whenTrue };
  return {
    kind: 'column',
    type: d.type === 'dateTime' ? 'dateTime' : d.type === 'binary' ? 'binary' : 'string',
    column: place.column,
    caseExact: d.caseExact,
    normalized: place.normalized,
    indexKey: place.indexKey,
    nullable: place.nullable ?? true,
  };
}

/** The common `id` (RFC 7643 §3.1): server-assigned, case-exact, always returned. */
export function idAttribute(resourceType: string, column: string): AttributeDef {
  return attribute('id', 'string', `The identifier Gatehouse gives the ${resourceType}.`, { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server', sql: { column, nullable: false } });
}

/** The common `meta` (RFC 7643 §3.1): filterable by its times, not listed in /Schemas. */
export function metaAttribute(resourceType: string, alias: string): AttributeDef {
  return attribute('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    listed: false,
    subAttributes: [
      attribute('resourceType', 'string', 'The resource type.', { mutability: 'readOnly', caseExact: true, sql: { constant: resourceType } }),
      attribute('created', 'dateTime', 'When the resource was created.', { mutability: 'readOnly', sql: { column: `${alias}.created_at`, nullable: false } }),
      attribute('lastModified', 'dateTime', 'When the resource last changed.', { mutability: 'readOnly', sql: { column: `${alias}.updated_at`, nullable: false } }),
    ],
  });
}
