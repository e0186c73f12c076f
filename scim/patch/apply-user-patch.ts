// Applies PATCH operations (RFC 7644 §3.5.2) to a User's SCIM representation in memory; the
// caller validates the result and maps it to the account in the same transaction that read
// it, so a PATCH is atomic: a failing operation changes nothing.
// Besides the RFC, what Entra ID sends: operations without a path whose object keys are
// paths themselves ("name.givenName", "urn:…:enterprise:2.0:User:department",
// 'emails[type eq "work"].value'); "add"/"replace" of 'attr[filter].sub' where no value
// matches yet creates the value the filter describes (RFC 7644 would answer noTarget, which
// would fail Entra's sync of e.g. a mobile number).
import { invalidPath, invalidValue, mutability, noTarget } from '../errors.js';
import { findDef } from '../schema/attribute-def.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from '../users/user-schema.js';
import { GATEHOUSE_SCHEMA } from '../users/gatehouse-extension.js';
import type { SchemaDef } from '../schema/attribute-def.js';
import { USER_URN } from '../urns.js';
import type { Json } from '../users/user-mapper.js';
import { normalizePatchValue } from '../users/user-quirks.js';
import type { AttrPath } from '../filter/filter-ast.js';
import { equalities, matchesElement } from './element-match.js';
import { parsePatchPath, type PatchPath } from './patch-path.js';
import type { PatchOpName, PatchOperation } from './patch-request.js';

interface AttributeInfo {
  name: string;
  multiValued: boolean;
  complex: boolean;
  mutable: boolean;
}

/** The User's extensions, in the order a bare attribute name is looked up in them. */
const EXTENSIONS: readonly SchemaDef[] = [ENTERPRISE_SCHEMA, GATEHOUSE_SCHEMA];

/** The extension whose URN `name` is or starts (followed by ":"), if any. */
function extensionOf(name: string): SchemaDef | undefined {
  const lower = name.toLowerCase();
  return EXTENSIONS.find((e) => lower === e.id.toLowerCase() || lower.startsWith(e.id.toLowerCase() + ':'));
}

/** "name", "name.givenName", or the same after an extension's URN and ":". */
function definition(fullName: string): AttributeInfo | null {
  const extension = extensionOf(fullName);
  const [top, sub] = (extension ? fullName.slice(extension.id.length + 1) : fullName).split('.');
  const schema = extension ?? USER_SCHEMA;
  const t = findDef(schema.attributes, top!);
  const a = sub === undefined ? t : findDef(t?.subAttributes, sub);
  if (!a) return null;
  return { name: a.name, multiValued: a.multiValued, complex: a.type === 'complex', mutable: a.mutability !== 'readOnly' };
}

interface Located {
  container: Json;
  key: string;
  info: AttributeInfo;
}

function child(obj: Json, key: string, create: boolean): Json | undefined {
  const actual = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
  const value = actual === undefined ? undefined : obj[actual];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (actual !== key) {
      delete obj[actual!];
      obj[key] = value;
    }
    return value as Json;
  }
  if (!create) return undefined;
  const made: Json = {};
  obj[key] = made;
  return made;
}

/** Where an attribute path lives in the document, and what the schema says about it. */
function locate(doc: Json, path: AttrPath, create: boolean, text: string): Located | null {
  const uri = path.uri?.toLowerCase() ?? null;
  const extension = uri !== null ? EXTENSIONS.find((e) => e.id.toLowerCase() === uri) : EXTENSIONS.find((e) => e.attributes.some((a) => a.name.toLowerCase() === path.attr.toLowerCase()));
  if (uri && !extension && uri !== USER_URN.toLowerCase()) throw invalidPath(`"${text}": unknown schema "${path.uri}".`);
  const prefix = extension ? `${extension.id}:` : '';
  const top = definition(prefix + path.attr);
  if (!top) throw invalidPath(`"${text}" is not an attribute of Users.`);
  const base = extension ? child(doc, extension.id, create) : doc;
  if (!base) return null;
  if (!path.sub) return { container: base, key: top.name, info: top };
  const sub = definition(`${prefix}${top.name}.${path.sub}`);
  if (!sub || top.multiValued) throw invalidPath(`"${text}" is not an attribute of Users.`);
  const container = child(base, top.name, create);
  return container ? { container, key: sub.name, info: { ...sub, mutable: sub.mutable && top.mutable } } : null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function valueOf(el: unknown): unknown {
  if (el && typeof el === 'object') {
    const key = Object.keys(el).find((k) => k.toLowerCase() === 'value');
    return key ? (el as Json)[key] : undefined;
  }
  return el;
}

/** The same value of a multi-valued attribute: by "value", or whole when it has none (addresses). */
function sameValue(a: unknown, b: unknown): boolean {
  const x = valueOf(a);
  const y = valueOf(b);
  if (x === undefined && y === undefined) return same(a, b);
  return typeof x === 'string' && typeof y === 'string' ? x.toLowerCase() === y.toLowerCase() : same(x, y);
}

function isPrimary(el: unknown): boolean {
  return !!el && typeof el === 'object' && Object.entries(el).some(([k, v]) => k.toLowerCase() === 'primary' && v === true);
}

function clearPrimary(list: unknown[]): void {
  for (const el of list) if (el && typeof el === 'object') for (const k of Object.keys(el)) if (k.toLowerCase() === 'primary') (el as Json)[k] = false;
}

function asObject(value: unknown, what: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidValue(`${what}: the value must be an object.`);
  return value as Json;
}

export function applyUserPatch(original: Json, ops: PatchOperation[]): Json {
  const doc = JSON.parse(JSON.stringify(original)) as Json;
  for (const op of ops) {
    if (op.path) apply(doc, op.op, op.path, op.value, op.index);
    else applyObject(doc, op.op, asObject(op.value, `Operation ${op.index}`), op.index);
  }
  return doc;
}

/** An operation without a path: each key of the value is an attribute (or a path) to add or replace. */
function applyObject(doc: Json, op: PatchOpName, value: Json, index: number): void {
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'meta') continue;
    const extension = EXTENSIONS.find((e) => lower === e.id.toLowerCase());
    if (extension) {
      for (const [sub, sv] of Object.entries(asObject(v, `Operation ${index}: "${key}"`))) apply(doc, op, parsePatchPath(`${extension.id}:${sub}`), sv, index);
      continue;
    }
    apply(doc, op, parsePatchPath(key), v, index);
  }
}

function apply(doc: Json, op: PatchOpName, path: PatchPath, rawValue: unknown, index: number): void {
  const where = `Operation ${index} ("${path.text}")`;
  const located = locate(doc, path.attr, op !== 'remove', path.text);
  if (!located) return; // removing from something absent changes nothing
  const { container, key, info } = located;
  const value = rawValue === undefined ? undefined : normalizePatchValue(path.filter && path.valueSub ? `${key}.${path.valueSub}` : path.attr.sub ? `${key}.${path.attr.sub}` : key, rawValue);
  if (!info.mutable) {
    if (op !== 'remove' && same(container[key], value)) return; // e.g. Okta repeating the id
    throw mutability(`${where}: "${key}" is read-only.`);
  }

  if (path.filter) {
    if (!info.multiValued) throw invalidPath(`${where}: value filters apply to multi-valued attributes only.`);
    const list = Array.isArray(container[key]) ? (container[key] as Json[]) : [];
    const hits = list.filter((el) => el && typeof el === 'object' && matchesElement(path.filter!, el));
    if (path.valueSub) {
      const sub = definition(`${key}.${path.valueSub}`);
      if (!sub) throw invalidPath(`${where}: "${key}" has no sub-attribute "${path.valueSub}".`);
      if (op === 'remove') {
        for (const el of hits) for (const k of Object.keys(el)) if (k.toLowerCase() === sub.name.toLowerCase()) delete el[k];
        return;
      }
      if (hits.length === 0) {
        container[key] = [...list, { ...equalities(path.filter), [sub.name]: value }];
        return;
      }
      for (const el of hits) {
        for (const k of Object.keys(el)) if (k.toLowerCase() === sub.name.toLowerCase()) delete el[k];
        el[sub.name] = value;
      }
      return;
    }
    if (op === 'remove') {
      const kept = list.filter((el) => !hits.includes(el));
      if (kept.length) container[key] = kept;
      else delete container[key];
      return;
    }
    if (hits.length === 0) throw noTarget(`${where}: no value matches the filter.`);
    const replacement = asObject(value, where);
    container[key] = list.map((el) => (hits.includes(el) ? (op === 'replace' ? { ...replacement } : { ...el, ...replacement }) : el));
    return;
  }

  if (info.multiValued) {
    const current = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
    const given = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    if (op === 'remove') {
      if (rawValue === undefined) delete container[key];
      else {
        const kept = current.filter((el) => !given.some((g) => sameValue(el, g)));
        if (kept.length) container[key] = kept;
        else delete container[key];
      }
      return;
    }
    if (op === 'replace') {
      if (given.length) container[key] = given;
      else delete container[key];
      return;
    }
    // add: RFC 7644 §3.5.2.1: values already present are not duplicated; a new primary value
    // takes "primary" from the others (RFC 7643 §2.4).
    const next = [...current];
    for (const g of given) {
      if (isPrimary(g)) clearPrimary(next);
      const at = next.findIndex((el) => sameValue(el, g));
      if (at === -1) next.push(g);
      else next[at] = g && typeof g === 'object' ? { ...(next[at] as Json), ...(g as Json) } : g;
    }
    container[key] = next;
    return;
  }

  if (op === 'remove' || value === null) {
    delete container[key];
    return;
  }
  if (info.complex) {
    // RFC 7644 §3.5.2.3: sub-attributes not given are left as they are.
    const target = child(container, key, true)!;
    Object.assign(target, asObject(value, where));
    return;
  }
  container[key] = value;
}
