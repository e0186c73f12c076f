// What directories send that RFC 7643 types differently, normalised before validation:
// Entra ID's "True"/"False" strings for booleans (its documented SCIM compliance issues),
// and its enterprise `manager` sent as a plain id instead of {"value": id}.
import { ENTERPRISE_URN } from '../urns.js';
import type { Json } from './user-mapper.js';

export function booleanish(value: unknown): unknown {
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return value;
}

function managerish(value: unknown): unknown {
  return typeof value === 'string' ? (value === '' ? null : { value }) : value;
}

function fixValues(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? fixKeys(v as Json, { primary: booleanish }) : v));
}

function fixKeys(obj: Json, fixes: Record<string, (v: unknown) => unknown>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    const fix = fixes[key.toLowerCase()];
    out[key] = fix ? fix(value) : value;
  }
  return out;
}

export function normalizeUserQuirks(raw: Json): Json {
  const enterprise = ENTERPRISE_URN.toLowerCase();
  return fixKeys(raw, {
    active: booleanish,
    emails: fixValues,
    phonenumbers: fixValues,
    [enterprise]: (v) => (v && typeof v === 'object' && !Array.isArray(v) ? fixKeys(v as Json, { manager: managerish }) : v),
    [`${enterprise}:manager`]: managerish,
  });
}

/** The same fixes for one PATCH value at `attribute` (lower-case, URN-qualified or not). */
export function normalizePatchValue(attribute: string, value: unknown): unknown {
  const name = attribute.toLowerCase();
  if (name === 'active' || name.endsWith('.primary') || name.endsWith(':active')) return booleanish(value);
  if (name === 'manager' || name.endsWith(':manager')) return managerish(value);
  if (name === 'emails' || name === 'phonenumbers') return fixValues(Array.isArray(value) ? value : [value]);
  return value;
}
