// Inbound resources are type-checked against the RFC 7643 schemas with scimmy's inbound
// coercion (wrong attribute types, a missing userName or displayName, a `schemas` list
// without the resource's schema: 400), which also gives attribute names their canonical
// case. Schema URNs Gatehouse does not implement are refused when attributes are sent
// under them; a bare unknown URN in `schemas` is tolerated, as Entra ID's documented
// Group create lists "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group".
import SCIMMY from 'scimmy';
import { invalidSyntax, invalidValue } from './errors.js';
import { ENTERPRISE_URN, GROUP_URN, USER_URN } from './urns.js';
import type { Json } from './users/user-mapper.js';

let declared = false;

/** Declares Gatehouse's resource types to scimmy once per process (it keeps them globally). */
export function declareScimmyResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, { extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }] });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {});
}

const KNOWN: Record<'User' | 'Group', string[]> = { User: [USER_URN, ENTERPRISE_URN], Group: [GROUP_URN] };

function checkSchemas(kind: 'User' | 'Group', raw: Json): void {
  const schemas = raw.schemas;
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string'))) throw invalidSyntax('"schemas" must be a list of schema URNs.');
  const known = KNOWN[kind].map((u) => u.toLowerCase());
  const listed = ((schemas as string[] | undefined) ?? []).map((s) => s.toLowerCase());
  if (schemas !== undefined && !listed.includes(known[0]!)) throw invalidSyntax(`The request body must name the schema ${KNOWN[kind][0]}.`);
  for (const key of Object.keys(raw)) {
    const lower = key.toLowerCase();
    if (!/^(urn|https?):/.test(lower)) continue;
    if (!known.some((k) => lower === k || lower.startsWith(k + ':'))) throw invalidSyntax(`Unknown schema extension: "${key}". Gatehouse implements ${KNOWN[kind].join(', ')}.`);
  }
}

/** The validated resource in canonical attribute case, and a User's password (never echoed). */
export function coerceIn(kind: 'User' | 'Group', raw: Json): { doc: Json; password?: string } {
  declareScimmyResources();
  checkSchemas(kind, raw);
  const { schemas: _schemas, ...body } = raw;
  let coerced: Record<string, unknown>;
  try {
    // The schema definition's own coercion: a Schema instance would run it twice (once
    // more through per-attribute setters) and cost ~3× the CPU per request.
    coerced = (kind === 'User' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group).definition.coerce(body, 'in') as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TypeError) throw invalidValue(err.message);
    throw err;
  }
  // The password is write-only (RFC 7643 §4.1.1): taken out here, never echoed.
  const { password, ...doc } = JSON.parse(JSON.stringify(coerced)) as Json;
  return { doc, password: kind === 'User' && typeof password === 'string' ? password : undefined };
}
