// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9): which attributes a response
// carries. `id` and `schemas` are always returned (RFC 7643 "returned": "always"); names
// are case-insensitive and may carry a schema URN or name a sub-attribute.
import type { AttributeParams } from './list-params.js';

interface ProjectionPath {
  top: string;
  sub: string | null;
}

export interface Projection {
  mode: 'all' | 'include' | 'exclude';
  paths: ProjectionPath[];
}

const ALWAYS = new Set(['id', 'schemas']);

export function projection(params: AttributeParams, coreUri: string, extensionUris: readonly string[]): Projection {
  const list = params.attributes ?? params.excludedAttributes;
  if (!list) return { mode: 'all', paths: [] };
  const paths = list.map((name) => toPath(name, coreUri, extensionUris)).filter((p): p is ProjectionPath => p !== null);
  return { mode: params.attributes ? 'include' : 'exclude', paths };
}

function toPath(name: string, coreUri: string, extensionUris: readonly string[]): ProjectionPath | null {
  const lower = name.toLowerCase();
  const extension = extensionUris.find((u) => lower === u.toLowerCase() || lower.startsWith(u.toLowerCase() + ':'));
  if (extension) {
    const rest = name.slice(extension.length + 1);
    return { top: extension.toLowerCase(), sub: rest ? rest.split('.')[0]!.toLowerCase() : null };
  }
  const bare = lower.startsWith(coreUri.toLowerCase() + ':') ? lower.slice(coreUri.length + 1) : lower;
  if (bare.startsWith('urn:')) return null;
  const [top, sub] = bare.split('.');
  return { top: top!, sub: sub ?? null };
}

/** Whether the response will carry this top-level attribute (to skip loading it when not). */
export function includes(p: Projection, attribute: string): boolean {
  const name = attribute.toLowerCase();
  if (p.mode === 'all') return true;
  if (p.mode === 'include') return p.paths.some((x) => x.top === name);
  return !p.paths.some((x) => x.top === name && x.sub === null);
}

export function project(resource: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (p.mode === 'all') return resource;
  const keyOf = new Map(Object.keys(resource).map((k) => [k.toLowerCase(), k]));
  if (p.mode === 'include') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const { top, sub } of p.paths) {
      const key = keyOf.get(top);
      if (!key || resource[key] === undefined) continue;
      if (sub === null) out[key] = resource[key];
      else {
        const picked = pickSub(resource[key], sub);
        if (picked !== undefined) out[key] = mergeSub(out[key], picked);
      }
    }
    return out;
  }
  const out: Record<string, unknown> = { ...resource };
  for (const { top, sub } of p.paths) {
    const key = keyOf.get(top);
    if (!key || ALWAYS.has(key)) continue;
    if (sub === null) delete out[key];
    else out[key] = dropSub(out[key], sub);
  }
  return out;
}

function subKey(obj: Record<string, unknown>, sub: string): string | undefined {
  return Object.keys(obj).find((k) => k.toLowerCase() === sub);
}

function pickSub(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) return value.map((v) => pickSub(v, sub) ?? {});
  if (value && typeof value === 'object') {
    const k = subKey(value as Record<string, unknown>, sub);
    return k === undefined ? undefined : { [k]: (value as Record<string, unknown>)[k] };
  }
  return undefined;
}

function mergeSub(existing: unknown, picked: unknown): unknown {
  if (Array.isArray(picked)) return picked.map((p, i) => ({ ...((existing as unknown[] | undefined)?.[i] as object), ...(p as object) }));
  return { ...(existing as object | undefined), ...(picked as object) };
}

function dropSub(value: unknown, sub: string): unknown {
  if (Array.isArray(value)) return value.map((v) => dropSub(v, sub));
  if (value && typeof value === 'object') {
    const copy = { ...(value as Record<string, unknown>) };
    const k = subKey(copy, sub);
    if (k !== undefined) delete copy[k];
    return copy;
  }
  return value;
}
