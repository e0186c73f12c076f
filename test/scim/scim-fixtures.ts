// Helpers for the SCIM suites: a bearer token made through the token service (as an admin
// would), and a supertest client that speaks SCIM JSON to the harness app.
import request from 'supertest';
import type { Harness } from '../helpers/harness.js';
import type { AuditEventView } from '../../src/audit/audit-service.js';

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/**
 * A token as an operator makes one on the command line: no creator account, so it acts with
 * its set — by default every catalogue permission but seats.manage and billing.manage, which
 * are the built-in Admin role's.
 */
export async function createToken(h: Harness, name = 'Entra ID provisioning', permissions?: string[]): Promise<string> {
  const { token } = await h.services.scimTokens.create(h.system(), name, permissions);
  return token;
}

export interface ScimClient {
  get(path: string): request.Test;
  post(path: string, body: unknown): request.Test;
  put(path: string, body: unknown): request.Test;
  patch(path: string, body: unknown): request.Test;
  delete(path: string): request.Test;
}

/** Requests to /scim/v2 with the token; bodies go as application/scim+json like Entra's. */
export function scimClient(h: Harness, token: string): ScimClient {
  const base = '/scim/v2';
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${token}`).set('Accept', 'application/scim+json');
  const send = (t: request.Test, body: unknown) => auth(t).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  return {
    get: (path) => auth(request(h.app).get(base + path)),
    post: (path, body) => send(request(h.app).post(base + path), body),
    put: (path, body) => send(request(h.app).put(base + path), body),
    patch: (path, body) => send(request(h.app).patch(base + path), body),
    delete: (path) => auth(request(h.app).delete(base + path)),
  };
}

/** Supertest leaves application/scim+json bodies unparsed: parse them. */
export function json(res: { text: string }): Record<string, any> {
  return res.text ? (JSON.parse(res.text) as Record<string, any>) : {};
}

export function patchOp(...operations: unknown[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

export async function auditOf(h: Harness, action: string): Promise<AuditEventView[]> {
  return (await h.services.audit.recent(500)).filter((e) => e.action === action);
}

export function filterQuery(filter: string): string {
  return `filter=${encodeURIComponent(filter)}`;
}
