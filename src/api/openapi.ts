// The OpenAPI 3.1 document, printed from the operations' own schemas (the ones the router
// validates with), so the description cannot drift from what the API does.
import { API_PATH, API_SCOPE_PERMISSIONS } from '../clients/api-scopes.js';
import { problemSchema } from './api-schemas.js';
import { PROBLEM_TYPES, problemTypeUri } from './problem.js';
import type { JsonSchema, Operation } from './operation.js';

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

function parametersOf(op: Operation): JsonSchema[] {
  const path = Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema }));
  const queryProps = (op.query?.properties ?? {}) as Record<string, JsonSchema>;
  const query = Object.entries(queryProps).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
  const headers: JsonSchema[] = [];
  if (op.idempotent) headers.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 }, description: 'A retry with the same key and request gets the first answer (kept 24 hours) and does nothing again.' });
  if (op.current) headers.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag read with GET: the change is refused (412) if the resource changed since.' });
  return [...path, ...query, ...headers];
}

const RATE_HEADERS: JsonSchema = {
  RateLimit: { description: 'What is left of the application\'s limit: `r` requests for `t` more seconds.', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'The limit: `q` requests per `w` seconds per application.', schema: { type: 'string' } },
};

function headersOf(op: Operation, status: string): JsonSchema {
  const etag = status === '200' && (op.method === 'get' || op.current);
  return { ...RATE_HEADERS, ...(etag ? { ETag: { description: 'The entity tag of the resource (If-Match on its updates).', schema: { type: 'string' } } } : {}) };
}

function operationObject(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const headers = headersOf(op, status);
    responses[status] = r.schema ? { description: r.description, headers, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : { description: r.description, headers };
  }
  responses.default = { description: 'A problem (RFC 9457)', headers: RATE_HEADERS, content: { 'application/problem+json': { schema: PROBLEM_REF } } };
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: [{ oauth2: [op.scope] }],
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: { required: !!(op.body.required as string[] | undefined)?.length, content: { 'application/json': { schema: op.body } } } } : {}),
    responses,
  };
}

function scopeDescriptions(): Record<string, string> {
  return Object.fromEntries(Object.entries(API_SCOPE_PERMISSIONS).map(([s, p]) => [s, `Endpoints that need ${p}`]));
}

export function openApiDocument(operations: readonly Operation[], publicUrl: string): JsonSchema {
  const base = publicUrl.replace(/\/+$/, '');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse management API',
      version: '1',
      description: `People, invitations, roles, seats, applications and their webhooks, audit and settings for a product's own back end. Errors are RFC 9457 problem details; their types are listed at ${base}/api/docs.`,
    },
    servers: [{ url: `${base}${API_PATH}` }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description: `Tokens for the resource ${base}${API_PATH} (RFC 8707): client credentials of a machine application registered with API scopes, or a person's token from an application registered with them, carrying the scopes the person allowed on the consent screen (then the person's permissions ∩ the scopes').`,
          flows: {
            clientCredentials: { tokenUrl: `${base}/oidc/token`, scopes: scopeDescriptions() },
            authorizationCode: { authorizationUrl: `${base}/oidc/auth`, tokenUrl: `${base}/oidc/token`, scopes: scopeDescriptions() },
          },
        },
      },
    },
    'x-problem-types': Object.fromEntries(Object.entries(PROBLEM_TYPES).map(([k, d]) => [problemTypeUri(k as keyof typeof PROBLEM_TYPES), d])),
  };
}
