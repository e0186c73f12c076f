// Inbound resources are validated against Gatehouse's own attribute declarations (the ones
// /Schemas lists): wrong attribute types, a missing userName or displayName, a `schemas`
// list without the resource's schema: 400; attribute names get their canonical case.
// Schema URNs Gatehouse does not implement are refused when attributes are sent under them;
// a bare unknown URN in `schemas` is tolerated, as Entra ID's documented Group create lists
// "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group".
import { invalidSyntax } from './errors.js';
import { GROUP_SCHEMA } from './groups/group-schema.js';
import { coerceResource } from './schema/coerce.js';
import type { SchemaDef } from './schema/attribute-def.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './users/user-schema.js';
import { GATEHOUSE_SCHEMA } from './users/gatehouse-extension.js';
import type { Json } from './users/user-mapper.js';

/** Each resource type's core schema and extensions. */
export const RESOURCE_SCHEMAS: Record<'User' | 'Group', { core: SchemaDef; extensions: SchemaDef[] }> = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_SCHEMA, GATEHOUSE_SCHEMA] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

function checkSchemas(kind: 'User' | 'Group', raw: Json): void {
  const { core, extensions } = RESOURCE_SCHEMAS[kind];
  const schemas = raw.schemas;
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string'))) throw invalidSyntax('"schemas" must be a list of schema URNs.');
  const known = [core, ...extensions].map((s) => s.id.toLowerCase());
  const listed = ((schemas as string[] | undefined) ?? []).map((s) => s.toLowerCase());
  if (schemas !== undefined && !listed.includes(known[0]!)) throw invalidSyntax(`The request body must name the schema ${core.id}.`);
  for (const key of Object.keys(raw)) {
    const lower = key.toLowerCase();
    if (!/^(urn|https?):/.test(lower)) continue;
    if (!known.some((k) => lower === k || lower.startsWith(k + ':'))) throw invalidSyntax(`Unknown schema extension: "${key}". Gatehouse implements ${[core, ...extensions].map((s) => s.id).join(', ')}.`);
  }
}

/** The validated resource in canonical attribute case, and a User's password (never echoed). */
export function coerceIn(kind: 'User' | 'Group', raw: Json): { doc: Json; password?: string } {
  checkSchemas(kind, raw);
  const { schemas: _schemas, ...body } = raw;
  const { core, extensions } = RESOURCE_SCHEMAS[kind];
  // The password is write-only (RFC 7643 §4.1.1): taken out here, never echoed.
  const { password, ...doc } = coerceResource(core, extensions, body);
  return { doc, password: kind === 'User' && typeof password === 'string' && password !== '' ? password : undefined };
}
