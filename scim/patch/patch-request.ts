// A PatchOp request (RFC 7644 §3.5.2) read leniently the way Entra ID and Okta send it:
// "Add"/"Replace"/"Remove" in any case, operations without a path carrying an object.
import { invalidSyntax, invalidValue, noTarget } from '../errors.js';
import { PATCH_OP_URN } from '../urns.js';
import { parsePatchPath, type PatchPath } from './patch-path.js';

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOpName;
  path: PatchPath | null;
  value: unknown;
  /** 1-based, for error messages. */
  index: number;
}

export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (body === undefined) throw invalidSyntax('A PATCH request needs a PatchOp body.');
  const b = body as Record<string, unknown>;
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_URN.toLowerCase())) {
    throw invalidSyntax(`A PATCH request names the schema "${PATCH_OP_URN}".`);
  }
  const key = Object.keys(b).find((k) => k.toLowerCase() === 'operations');
  const operations = key ? b[key] : undefined;
  if (!Array.isArray(operations) || operations.length === 0) throw invalidValue('"Operations" must list at least one operation.');
  return operations.map((raw, i) => {
    const index = i + 1;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidSyntax(`Operation ${index} must be an object.`);
    const o = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalidSyntax(`Operation ${index}: "op" must be add, remove or replace, not ${JSON.stringify(o.op ?? null)}.`);
    if (o.path !== undefined && o.path !== null && typeof o.path !== 'string') throw invalidSyntax(`Operation ${index}: "path" must be a string.`);
    const pathText = typeof o.path === 'string' && o.path.trim() !== '' ? o.path.trim() : null;
    if (op === 'remove' && !pathText) throw noTarget(`Operation ${index}: "remove" needs a path.`);
    if (op !== 'remove' && o.value === undefined) throw invalidValue(`Operation ${index}: "${op}" needs a value.`);
    if (op !== 'remove' && !pathText && (o.value === null || typeof o.value !== 'object' || Array.isArray(o.value))) {
      throw invalidValue(`Operation ${index}: without a path, the value must be an object of attributes.`);
    }
    return { op, path: pathText ? parsePatchPath(pathText) : null, value: o.value, index };
  });
}
