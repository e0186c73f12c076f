// /api/docs: a reference page rendered on the server from the same operations as the
// OpenAPI document (no script, no CDN): each endpoint with its scope, parameters and body
// fields, and every problem type with the anchor its `type` points at.
import { Router } from 'express';
import { html, type SafeHtml } from '../html.js';
import { page } from '../web/layout.js';
import { API_PATH, API_SCOPE_PERMISSIONS } from '../clients/api-scopes.js';
import { OPERATIONS } from './operations.js';
import type { JsonSchema, Operation } from './operation.js';
import { PROBLEM_TYPES } from './problem.js';

function typeOf(schema: JsonSchema): string {
  const t = schema.type;
  const base = Array.isArray(t) ? t.join(' | ') : String(t ?? 'any');
  if (schema.enum) return `${base}: ${(schema.enum as unknown[]).map(String).join(', ')}`;
  if (t === 'array' && schema.items) return `array of ${typeOf(schema.items as JsonSchema)}`;
  return base;
}

function fieldRows(schema: JsonSchema | undefined, where: string): SafeHtml[] {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => html`<tr><td><code>${name}</code></td><td>${where}</td><td>${typeOf(s)}</td><td>${required.has(name) ? 'yes' : ''}</td><td>${(s.description as string) ?? ''}</td></tr>`);
}

function operationSection(op: Operation): SafeHtml {
  const params = { type: 'object', required: Object.keys(op.params ?? {}), properties: op.params ?? {} };
  const rows = [...fieldRows(params, 'path'), ...fieldRows(op.query, 'query'), ...fieldRows(op.body, 'body')];
  const answers = Object.entries(op.responses).map(([status, r]) => html`<li><code>${status}</code> ${r.description}</li>`);
  return html`<section id="${op.operationId}"><h3><code>${op.method.toUpperCase()} ${API_PATH}${op.path}</code></h3>
<p>${op.summary}. Scope <code>${op.scope}</code>.</p>${op.description ? html`<p>${op.description}</p>` : ''}
${rows.length ? html`<table><thead><tr><th>Field</th><th>In</th><th>Type</th><th>Required</th><th>Notes</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
<ul>${answers}<li>otherwise a problem (application/problem+json)</li></ul></section>`;
}

export function apiDocsPage(): string {
  const tags = [...new Set(OPERATIONS.map((o) => o.tag))];
  const scopes = Object.entries(API_SCOPE_PERMISSIONS).map(([s, p]) => html`<tr><td><code>${s}</code></td><td><code>${p}</code></td></tr>`);
  const problems = Object.entries(PROBLEM_TYPES).map(([k, d]) => html`<tr id="problem-${k}"><td><code>/api/docs#problem-${k}</code></td><td>${d}</td></tr>`);
  return page(
    'Management API',
    html`<h1>Management API</h1>
<p>JSON at <code>${API_PATH}</code>, described by the OpenAPI 3.1 document at <a href="${API_PATH}/openapi.json"><code>${API_PATH}/openapi.json</code></a>.
Authenticate with an access token from <code>/oidc/token</code> (client credentials of a machine application registered with API scopes; resource <code>${API_PATH}</code> as an absolute URL). Lists page by cursor: pass <code>next</code> back as <code>cursor</code>.
GET answers carry an <code>ETag</code>; send it as <code>If-Match</code> on an update to have it refused (412) if the resource changed meanwhile.
<code>POST /people</code> and <code>POST /invitations</code> honour <code>Idempotency-Key</code> (a retry gets the first answer for 24 hours).
Every answer carries <code>RateLimit</code> and <code>RateLimit-Policy</code> headers; past the limit, 429 with <code>Retry-After</code>.</p>
<h2>Scopes</h2><table><thead><tr><th>Scope</th><th>Opens endpoints that need</th></tr></thead><tbody>${scopes}</tbody></table>
${tags.map((tag) => html`<h2>${tag}</h2>${OPERATIONS.filter((o) => o.tag === tag).map(operationSection)}`)}
<h2>Problem types</h2><table><thead><tr><th>type</th><th>Meaning</th></tr></thead><tbody>${problems}</tbody></table>`,
  );
}

export function apiDocsRoutes(): Router {
  const router = Router();
  const body = apiDocsPage();
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(body);
  });
  return router;
}
