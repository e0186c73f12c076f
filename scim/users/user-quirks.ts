// What directories send that RFC 7643 types differently, normalised before validation:
// Entra ID's "True"/"False" strings for booleans (its documented SCIM compliance issues),
// and its enterprise `manager` sent as a plain id instead of {"value": id}.
import { MULTI_VALUED } from '../../src/users/user-values.js';
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
  return list.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? fixKeys(v as Json, VALUE_FIXES) : v));
}

type Fixes = ReadonlyMap<string, (v: unknown) => unknown>;

// The fixes are a Map and the copy is built with defineProperty: an attribute a client
// names "__proto__" or "constructor" is only ever data, never Object.prototype's members
// (and never re-points the copy's prototype).
function fixKeys(obj: Json, fixes: Fixes): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    const fix = fixes.get(key.toLowerCase());
    Object.defineProperty(out, key, { value: fix ? fix(value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const MULTI_VALUED_NAMES: readonly string[] = MULTI_VALUED.map((n) => n.toLowerCase());
const VALUE_FIXES: Fixes = new Map([['primary', booleanish]]);
const ENTERPRISE_FIXES: Fixes = new Map([['manager', managerish]]);

export function normalizeUserQuirks(raw: Json): Json {
  const enterprise = ENTERPRISE_URN.toLowerCase();
  return fixKeys(
    raw,
    new Map<string, (v: unknown) => unknown>([
      ['active', booleanish],
      ...MULTI_VALUED_NAMES.map((n) => [n, fixValues] as [string, (v: unknown) => unknown]),
      [enterprise, (v) => (v && typeof v === 'object' && !Array.isArray(v) ? fixKeys(v as Json, ENTERPRISE_FIXES) : v)],
      [`${enterprise}:manager`, managerish],
    ]),
  );
}

/** The same fixes for one PATCH value at `attribute` (lower-case, URN-qualified or not). */
export function normalizePatchValue(attribute: string, value: unknown): unknown {
  const name = attribute.toLowerCase();
  if (name === 'active' || name.endsWith('.primary') || name.endsWith(':active')) return booleanish(value);
  if (name === 'manager' || name.endsWith(':manager')) return managerish(value);
  if (MULTI_VALUED_NAMES.includes(name)) return fixValues(Array.isArray(value) ? value : [value]);
  return value;
}
