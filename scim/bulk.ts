// POST /Bulk (RFC 7644 §3.7): up to 1000 operations, each through the same handler as its
// single request and in its own transaction, so each refusal (e.g. a full seat pool) is that
// operation's own response and the others proceed (Bulk applies operations in
// order). "bulkId:…" references are replaced by the ids their POSTs created; an operation
// waiting on a later POST runs after it, circular references fail with 409. With
// failOnErrors, processing stops once that many operations have failed (§3.7.3).
import type { ScimCall } from './context.js';
import { errorBody, invalidSyntax, invalidValue, ScimError, toScimError } from './errors.js';
import type { ResourceResult } from './http/responses.js';
import { RESOURCE_TYPES } from './resources.js';
import { BULK_REQUEST_URN, BULK_RESPONSE_URN, LIMITS } from './urns.js';

interface BulkOperation {
  method?: unknown;
  bulkId?: unknown;
  version?: unknown;
  path?: unknown;
  data?: unknown;
}

interface OperationResponse {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: object;
}

const REFERENCE = /^bulkId:(.+)$/;

function lowerKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

function references(data: unknown, found = new Set<string>()): Set<string> {
  if (typeof data === 'string') {
    const m = REFERENCE.exec(data);
    if (m) found.add(m[1]!);
  } else if (Array.isArray(data)) data.forEach((d) => references(d, found));
  else if (data && typeof data === 'object') Object.values(data).forEach((d) => references(d, found));
  return found;
}

function resolve(data: unknown, ids: Map<string, string>): unknown {
  if (typeof data === 'string') {
    const m = REFERENCE.exec(data);
    return m && ids.has(m[1]!) ? ids.get(m[1]!) : data;
  }
  if (Array.isArray(data)) return data.map((d) => resolve(d, ids));
  if (data && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, resolve(v, ids)]));
  return data;
}

export async function runBulk(call: ScimCall, body: unknown): Promise<ResourceResult> {
  if (body === undefined) throw invalidSyntax('A Bulk request needs a BulkRequest body.');
  const b = lowerKeys(body as object);
  if (!Array.isArray(b.schemas) || !b.schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_URN.toLowerCase())) {
    throw invalidSyntax(`A Bulk request names the schema "${BULK_REQUEST_URN}".`);
  }
  const operations = b.operations;
  if (!Array.isArray(operations) || operations.length === 0) throw invalidValue('"Operations" must list at least one operation.');
  if (operations.length > LIMITS.bulkMaxOperations) throw new ScimError(413, null, `A Bulk request may carry at most ${LIMITS.bulkMaxOperations} operations (maxOperations); this one has ${operations.length}.`);
  const failOnErrors = b.failonerrors;
  if (failOnErrors !== undefined && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 1)) throw invalidValue('"failOnErrors" must be a whole number of at least 1.');

  const ops = operations.map((o): BulkOperation => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return {};
    const l = lowerKeys(o);
    return { method: l.method, bulkId: l.bulkid, version: l.version, path: l.path, data: l.data };
  });
  const postBulkIds = new Map<string, number>();
  ops.forEach((op, i) => {
    if (typeof op.method === 'string' && op.method.toUpperCase() === 'POST' && typeof op.bulkId === 'string' && !postBulkIds.has(op.bulkId)) postBulkIds.set(op.bulkId, i);
  });
  const created = new Map<string, string>();
  const failed = new Set<string>();
  const responses: Array<OperationResponse | undefined> = new Array(ops.length);
  const pending = ops.map((_, i) => i);
  let errors = 0;

  const settled = (ref: string) => created.has(ref) || failed.has(ref) || !postBulkIds.has(ref);
  while (pending.length && !(failOnErrors !== undefined && errors >= (failOnErrors as number))) {
    // Input order, except that an operation waits for the POSTs it references.
    let at = pending.findIndex((i) => [...references(ops[i]!.data)].every(settled));
    const circular = at === -1;
    if (circular) at = 0;
    const index = pending.splice(at, 1)[0]!;
    const response = circular
      ? failure(ops[index]!, new ScimError(409, null, 'The operation is part of a circular bulkId reference.'))
      : await runOne(call, ops[index]!, created);
    if (Number(response.status) >= 400) {
      errors++;
      if (typeof ops[index]!.bulkId === 'string') failed.add(ops[index]!.bulkId as string);
    }
    responses[index] = response;
  }
  return { status: 200, body: { schemas: [BULK_RESPONSE_URN], Operations: responses.filter((r): r is OperationResponse => !!r) } };
}

function failure(op: BulkOperation, err: ScimError): OperationResponse {
  return {
    // A method that is no string (an object, a number) is echoed as empty, never converted.
    method: typeof op.method === 'string' ? op.method.toUpperCase() : '',
    ...(typeof op.bulkId === 'string' ? { bulkId: op.bulkId } : {}),
    status: String(err.status),
    response: errorBody(err),
  };
}

function decodedSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidValue(`"path" ${JSON.stringify(path)} is not a well-formed URL path.`);
  }
}

async function runOne(call: ScimCall, op: BulkOperation, created: Map<string, string>): Promise<OperationResponse> {
  try {
    const method = typeof op.method === 'string' ? op.method.toUpperCase() : '';
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw invalidValue(`"method" must be POST, PUT, PATCH or DELETE.`);
    const path = typeof op.path === 'string' ? op.path : '';
    const m = /^\/(Users|Groups)(?:\/([^/?#]+))?\/?$/i.exec(path);
    const type = m && RESOURCE_TYPES.find((t) => t.endpoint.toLowerCase() === `/${m[1]!.toLowerCase()}`);
    if (!m || !type) throw invalidValue(`"path" must be /Users, /Groups or one of their resources, not ${JSON.stringify(op.path ?? null)}.`);
    let id = m[2] ? decodedSegment(m[2], path) : undefined;
    const bulkId = typeof op.bulkId === 'string' ? op.bulkId : undefined;
    if (method === 'POST' && (id || !bulkId)) throw invalidSyntax(id ? 'A POST operation targets a resource type, not a resource.' : 'A POST operation needs a "bulkId".');
    if (method !== 'POST' && !id) throw invalidSyntax(`A ${method} operation needs a path naming the resource.`);
    const idRef = id && REFERENCE.exec(id);
    if (idRef) {
      if (!created.has(idRef[1]!)) throw invalidValue(`${path} refers to bulkId ${idRef[1]} which created nothing.`);
      id = created.get(idRef[1]!)!;
    }
    for (const ref of references(op.data)) {
      if (!created.has(ref)) throw invalidValue(`"bulkId:${ref}" refers to no successful POST in this request.`);
    }
    if (method !== 'DELETE' && (!op.data || typeof op.data !== 'object' || Array.isArray(op.data))) throw invalidSyntax('"data" must be the resource or PatchOp object.');
    const data = resolve(op.data, created);
    const ifMatch = typeof op.version === 'string' ? op.version : undefined;
    const result =
      method === 'POST' ? await type.create(call, data, {})
      : method === 'PUT' ? await type.replace(call, id!, data, ifMatch, {})
      : method === 'PATCH' ? await type.patch(call, id!, data, ifMatch, {})
      : await type.remove(call, id!, ifMatch);
    const location = result.location ?? `${call.baseUrl}${type.endpoint}/${id}`;
    if (method === 'POST' && bulkId) created.set(bulkId, location.split('/').pop()!);
    return { method, ...(bulkId ? { bulkId } : {}), ...(result.etag ? { version: result.etag } : {}), location, status: String(result.status) };
  } catch (err) {
    return failure(op, toScimError(err, call.services.logger));
  }
}
