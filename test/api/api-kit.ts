// Test kit for the management API: registers machine applications, fetches their tokens
// from the real provider, and calls the API through a client that validates every answer
// it receives against the OpenAPI document the API serves (status, content type, body).
import { expect } from 'chai';
import request from 'supertest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Harness } from '../helpers/harness.js';
import type { Context } from '../../src/context.js';
import { randomUUID } from 'node:crypto';
import { apiResourceIndicator, API_SCOPES } from '../../src/clients/api-scopes.js';
import type { Operation } from '../../src/api/operation.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export interface MachineApp {
  clientId: string;
  secret: string;
  name: string;
}

export async function registerMachine(h: Harness, ctx: Context, options: { name?: string; scopes?: readonly string[]; permissions?: string[] } = {}): Promise<MachineApp> {
  const name = options.name ?? 'Portal back end';
  const { client, clientSecret } = await h.services.clients.add(ctx, { name, type: 'machine', apiScopes: [...(options.scopes ?? API_SCOPES)], apiPermissions: options.permissions });
  return { clientId: client.clientId, secret: clientSecret!, name };
}

export function tokenRequest(h: Harness, app: Pick<MachineApp, 'clientId' | 'secret'>, fields: Record<string, string> = {}) {
  return request(h.app).post('/oidc/token').auth(app.clientId, app.secret).type('form').send({ grant_type: 'client_credentials', resource: apiResourceIndicator(h.config.publicUrl), ...fields });
}

export async function tokenFor(h: Harness, app: MachineApp, scopes: readonly string[] = API_SCOPES): Promise<string> {
  const res = await tokenRequest(h, app, { scope: scopes.join(' ') });
  expect(res.status, res.text).to.equal(200);
  return res.body.access_token as string;
}

// ---- the OpenAPI document and response validation --------------------------------------

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

let validated: Promise<Doc> | null = null;
const compiled = new Map<string, ValidateFunction>();
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(ajv);

/** The served document, validated by swagger-parser, dereferenced (once per run). */
export async function openApi(h: Harness): Promise<Doc> {
  validated ??= (async () => {
    const res = await request(h.app).get('/api/v1/openapi.json').expect(200);
    const doc = JSON.parse(res.text) as object;
    await SwaggerParser.validate(structuredClone(doc) as never);
    return (await SwaggerParser.dereference(doc as never)) as unknown as Doc;
  })();
  return validated;
}

function templateFor(doc: Doc, path: string, method: string): string | null {
  for (const template of Object.keys(doc.paths)) {
    const pattern = new RegExp(`^/api/v1${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path) && doc.paths[template]![method]) return template;
  }
  return null;
}

/** Asserts that `res` is an answer the document describes for this operation. */
export async function expectDescribed(h: Harness, method: string, url: string, res: request.Response): Promise<void> {
  const doc = await openApi(h);
  const path = url.split('?')[0]!;
  const template = templateFor(doc, path, method);
  const type = (res.get('content-type') ?? '').split(';')[0]!;
  if (!template) {
    // Paths the API does not have still answer in its format.
    expect(type, `${method} ${url}`).to.equal('application/problem+json');
    return;
  }
  const responses = doc.paths[template]![method]!.responses;
  const described = responses[String(res.status)] ?? responses.default!;
  if (!described.content) {
    expect(res.text ?? '', `${method} ${url} ${res.status} has no body`).to.equal('');
    return;
  }
  expect(described.content, `${method} ${url} answered ${res.status} as ${type}`).to.have.property(type);
  const key = `${method} ${template} ${res.status in responses ? res.status : 'default'} ${type}`;
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(described.content[type]!.schema)));
  if (!/json$/.test(type)) return; // a described text body (CSV): its type is what the document says
  const body = JSON.parse(res.text) as unknown;
  expect(validate(body), `${key}: ${JSON.stringify(validate.errors)} in ${res.text.slice(0, 500)}`).to.equal(true);
}

export interface ApiClient {
  get(url: string): Promise<request.Response>;
  delete(url: string): Promise<request.Response>;
  post(url: string, body?: unknown): Promise<request.Response>;
  put(url: string, body?: unknown): Promise<request.Response>;
  patch(url: string, body?: unknown): Promise<request.Response>;
  /** A raw request (odd bodies, headers), still checked against the document. */
  raw(method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, build: (r: request.Test) => request.Test): Promise<request.Response>;
}

export function apiClient(h: Harness, token: string | null): ApiClient {
  const send = async (method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, build: (r: request.Test) => request.Test) => {
    let r = request(h.app)[method](url);
    if (token !== null) r = r.set('Authorization', `Bearer ${token}`);
    const res = await build(r);
    expect(res.status, `${method.toUpperCase()} ${url}: ${res.text.slice(0, 300)}`).to.be.below(500);
    await expectDescribed(h, method, url, res);
    return res;
  };
  const withBody = (method: 'post' | 'put' | 'patch') => (url: string, body?: unknown) => send(method, url, (r) => (body === undefined ? r : r.send(body as object)));
  return {
    get: (url) => send('get', url, (r) => r),
    delete: (url) => send('delete', url, (r) => r),
    post: withBody('post'),
    put: withBody('put'),
    patch: withBody('patch'),
    raw: send,
  };
}

/** A concrete URL for an operation, with made-up ids. */
export function urlOf(op: Operation, id = randomUUID()): string {
  return `/api/v1${op.path.replace('{pool}', 'user').replace(/\{\w+\}/g, id)}`;
}
