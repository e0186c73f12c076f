// Inbound validation of a resource against its attribute declarations (RFC 7643 §2):
// attribute names are matched ignoring case and given their canonical case; values must
// have the declared type (400 invalidValue); read-only attributes are ignored (§2.2: "any
// values provided SHALL be ignored"); null means unassigned (§2.5) and is left out; names the
// schema does not declare are ignored. Required attributes must be present.
import { invalidValue } from '../errors.js';
import { findDef, type AttributeDef, type SchemaDef } from './attribute-def.js';

type Json = Record<string, unknown>;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function scalar(d: AttributeDef, value: unknown, path: string): unknown {
  switch (d.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value !== 'string') throw invalidValue(`"${path}" must be a string.`);
      if (d.type === 'binary' && !/^[A-Za-z0-9+/=_\-\s]*$/.test(value)) throw invalidValue(`"${path}" must be base64 (RFC 7643 §2.3.6).`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidValue(`"${path}" must be true or false.`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidValue(`"${path}" must be an integer.`);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidValue(`"${path}" must be a number.`);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw invalidValue(`"${path}" must be a dateTime such as 2030-01-01T09:00:00Z.`);
      return value;
    case 'complex':
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(`"${path}" must be an object.`);
      return coerceAttributes(d.subAttributes ?? [], value as Json, path + '.');
  }
}

function one(d: AttributeDef, value: unknown, path: string): unknown {
  if (!d.multiValued) {
    if (Array.isArray(value)) throw invalidValue(`"${path}" takes one value, not a list.`);
    return scalar(d, value, path);
  }
  // A single value where a list is declared is read as a list of one (as Entra sends some).
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => v !== null && v !== undefined).map((v, i) => scalar(d, v, `${path}[${i}]`));
}

/** `prefix`: the parent's path, for messages. */
export function coerceAttributes(defs: readonly AttributeDef[], raw: Json, prefix = ''): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    const d = findDef(defs, key);
    if (!d || d.mutability === 'readOnly' || value === null || value === undefined) continue;
    if (Object.hasOwn(out, d.name)) throw invalidValue(`"${prefix}${d.name}" is given twice.`);
    Object.defineProperty(out, d.name, { value: one(d, value, prefix + d.name), enumerable: true, writable: true, configurable: true });
  }
  for (const d of defs) {
    if (!d.required) continue;
    const v = out[d.name];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) throw invalidValue(`"${prefix}${d.name}" is required.`);
  }
  return out;
}

/**
 * A resource body: core attributes, and each extension's under its URN (as an object, or
 * as "urn:…:attribute" keys that some clients send flattened).
 */
export function coerceResource(core: SchemaDef, extensions: readonly SchemaDef[], raw: Json): Json {
  const coreRaw: Json = {};
  const extensionRaw = new Map<SchemaDef, Json>();
  for (const [key, value] of Object.entries(raw)) {
    const lower = key.toLowerCase();
    const ext = extensions.find((e) => lower === e.id.toLowerCase() || lower.startsWith(e.id.toLowerCase() + ':'));
    const target = ext ? extensionRaw.get(ext) ?? {} : coreRaw;
    if (ext) extensionRaw.set(ext, target);
    const within = ext ? key.slice(ext.id.length + 1) : lower.startsWith(core.id.toLowerCase() + ':') ? key.slice(core.id.length + 1) : key;
    if (ext && within === '') {
      if (value === null) continue;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(`"${key}" must be an object.`);
      Object.assign(target, value);
    } else {
      Object.defineProperty(target, within, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  const doc = coerceAttributes(core.attributes, coreRaw);
  for (const [ext, body] of extensionRaw) {
    const coerced = coerceAttributes(ext.attributes, body, `${ext.id}:`);
    if (Object.keys(coerced).length) doc[ext.id] = coerced;
  }
  return doc;
}
