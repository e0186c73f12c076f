// The Applications (OIDC clients) pages: list, add, the once-only secret, edit redirect
// URIs and the first-party flag, and the removal confirmation.
import { copyButton } from '../../scripts/copy-button.js';
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import { CLIENT_TYPES, DEFAULT_SIGNING_ALG, SIGNING_ALGS, type ClientType, type ClientView } from '../../../clients/client-service.js';
import { csrfField, field } from '../../layout.js';
import { checkbox, checkboxes, select, textarea } from '../../form-controls.js';
import type { WebhookView } from '../../../webhooks/webhook-service.js';
import { webhookSection } from './webhook-views.js';
import { API_SCOPES, API_SCOPE_PERMISSIONS } from '../../../clients/api-scopes.js';

const TYPE_LABELS: Record<ClientType, string> = {
  web: 'Web application (server-side, with a secret)',
  public: 'Single-page or native app (PKCE, no secret)',
  machine: 'Machine to machine (client credentials)',
};

export interface ClientFormValues {
  name: string;
  type: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  firstParty: boolean;
  backchannelLogoutUri: string;
  idTokenSigningAlg: string;
  /** The management API scopes to register (machine: client credentials; others: each person's consent). */
  apiScopes: string[];
  /** Browser origins allowed to call the management API, one a line. */
  corsOrigins: string;
}

export const EMPTY_CLIENT_FORM: ClientFormValues = { name: '', type: 'web', redirectUris: '', postLogoutRedirectUris: '', firstParty: false, backchannelLogoutUri: '', idTokenSigningAlg: DEFAULT_SIGNING_ALG, apiScopes: [], corsOrigins: '' };

function apiScopeControl(v: ClientFormValues, errors: FieldErrors): SafeHtml {
  return checkboxes({
    name: 'apiScopes',
    label: 'Management API scopes',
    options: API_SCOPES.map((s) => ({ value: s, label: `${s} (${API_SCOPE_PERMISSIONS[s]})` })),
    checked: v.apiScopes,
    error: errors.apiScopes ?? errors.apiPermissions,
    hint: 'A machine application calls /api/v1 with these scopes and acts with your permissions as they stand (but seats and billing, unless a scope needs them): it stops if you are deactivated and loses what you lose. Any other application may ask the people signing in to allow them; it then acts as each of them, never beyond what they may do.',
  });
}

/** The edit form says it carries the API fields, so a form without them changes neither. */
export const API_FIELDS_MARKER = 'apiFieldsShown';

function apiAccessControls(v: ClientFormValues, errors: FieldErrors): SafeHtml {
  return html`${apiScopeControl(v, errors)}
${textarea({ name: 'corsOrigins', label: 'Browser origins allowed to call the management API (CORS)', value: v.corsOrigins, error: errors.corsOrigins, rows: 2, hint: 'Optional, one a line, e.g. https://portal.example.com. None: browsers cannot call /api/v1 with this application\'s tokens.' })}
<input type="hidden" name="${API_FIELDS_MARKER}" value="1">`;
}

function apiGrantLine(client: ClientView): SafeHtml {
  if (!client.api) return html``;
  return html`<p>Management API: scopes ${client.api.scopes.map((s) => html`<code>${s}</code> `)}· acts with ${client.api.permissions.join(', ')} as far as ${client.api.grantedBy} still holds them.</p>`;
}

export function clientFormValues(c: ClientView): ClientFormValues {
  return {
    name: c.name,
    type: c.type,
    redirectUris: c.redirectUris.join('\n'),
    postLogoutRedirectUris: c.postLogoutRedirectUris.join('\n'),
    firstParty: c.firstParty,
    backchannelLogoutUri: c.backchannelLogoutUri ?? '',
    idTokenSigningAlg: c.idTokenSigningAlg,
    apiScopes: c.api?.scopes ?? [],
    corsOrigins: c.corsOrigins.join('\n'),
  };
}

function errorSummary(errors: FieldErrors): SafeHtml {
  return Object.keys(errors).length ? html`<p class="error-box" role="alert">Nothing was saved: see the messages below.</p>` : html``;
}

export function clientListBody(s: { clients: ClientView[]; notice?: string }): SafeHtml {
  return html`<h1>Applications</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<p><a href="/admin/clients/new">Add an application</a></p>
${s.clients.length === 0
  ? html`<p>No applications are registered yet.</p>`
  : html`<table><thead><tr><th>Name</th><th>Type</th><th>Client ID</th><th>Redirect URIs</th><th>First-party</th></tr></thead><tbody>
${s.clients.map((c) => html`<tr><td><a href="/admin/clients/${encodeURIComponent(c.clientId)}">${c.name}</a></td><td>${c.type}</td><td><code>${c.clientId}</code></td><td>${c.redirectUris.join(' ')}</td><td>${c.firstParty ? 'yes' : 'no'}</td></tr>`)}
</tbody></table>`}`;
}

function uriControls(v: ClientFormValues, errors: FieldErrors): SafeHtml {
  return html`${textarea({ name: 'redirectUris', label: 'Redirect URIs', value: v.redirectUris, error: errors.redirectUris, hint: 'One a line; https (http only for localhost). Compared exactly.' })}
${textarea({ name: 'postLogoutRedirectUris', label: 'Post-logout redirect URIs', value: v.postLogoutRedirectUris, error: errors.postLogoutRedirectUris, rows: 2 })}`;
}

function firstPartyControl(v: ClientFormValues): SafeHtml {
  return checkbox({ name: 'firstParty', label: 'First-party application (users are not asked for consent)', checked: v.firstParty });
}

function algControl(v: ClientFormValues, errors: FieldErrors): SafeHtml {
  return select({ name: 'idTokenSigningAlg', label: 'ID token signing algorithm', value: v.idTokenSigningAlg, error: errors.idTokenSigningAlg, hint: 'RS256 is what every relying party supports; choose ES256 or EdDSA only for one that asks for it.', options: SIGNING_ALGS.map((a) => ({ value: a, label: a })) });
}

/**
 * What a relying party's configuration needs: issuer (from which it discovers the rest),
 * client ID, redirect URI and scopes, as environment-style lines to copy.
 */
function connectionDetails(client: ClientView, issuer: string, secret: string | null): SafeHtml {
  const discovery = `${issuer}/.well-known/openid-configuration`;
  const lines = [
    `OIDC_ISSUER=${issuer}`,
    `OIDC_CLIENT_ID=${client.clientId}`,
    ...(client.type === 'public' ? [] : [`OIDC_CLIENT_SECRET=${secret ?? '(the secret shown when the application was registered)'}`]),
    ...(client.type === 'machine' ? [] : [`OIDC_REDIRECT_URI=${client.redirectUris[0] ?? ''}`, 'OIDC_SCOPES=openid profile email']),
    ...(client.type === 'machine' ? [] : ['OIDC_USE_PKCE=S256']),
  ];
  return html`<h2>Connect the application</h2>
<table><tbody><tr><th>Issuer</th><td><code id="issuer">${issuer}</code></td></tr>
<tr><th>Discovery URL</th><td><a href="${discovery}"><code id="discovery-url">${discovery}</code></a></td></tr></tbody></table>
<p class="hint">Example configuration for a typical OpenID Connect library (names vary by library). Add the scope <code>roles</code> for roles and permissions, <code>offline_access</code> for refresh tokens.</p>
<textarea id="example-configuration" readonly rows="${lines.length}" cols="72" aria-label="Example configuration">${lines.join('\n')}</textarea>`;
}

export function clientNewBody(s: { csrfToken: string; values: ClientFormValues; errors: FieldErrors }): SafeHtml {
  const { values: v, errors } = s;
  return html`<p><a href="/admin/clients">← Applications</a></p><h1>Add an application</h1>
${errorSummary(errors)}
<form method="post" action="/admin/clients">${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: v.name, error: errors.name, required: true })}
${select({ name: 'type', label: 'Type', value: v.type, error: errors.type, options: CLIENT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] })) })}
${uriControls(v, errors)}
${firstPartyControl(v)}
${field({ name: 'backchannelLogoutUri', label: 'Back-channel logout URI', value: v.backchannelLogoutUri, error: errors.backchannelLogoutUri, hint: 'Optional: where Gatehouse posts logout tokens when a user signs out or is deactivated.' })}
${algControl(v, errors)}
${apiAccessControls(v, errors)}
<button type="submit">Add application</button></form>`;
}

export function clientCreatedBody(s: { client: ClientView; clientSecret: string | null; issuer: string }): SafeHtml {
  return html`<h1>${s.client.name} is registered</h1>
<table><tbody><tr><th>Client ID</th><td><code>${s.client.clientId}</code></td></tr>
${s.clientSecret ? html`<tr><th>Client secret</th><td><code id="client-secret">${s.clientSecret}</code> ${copyButton('client-secret')}</td></tr>` : ''}</tbody></table>
${s.clientSecret
  ? html`<p class="warning" role="alert">Copy the secret now: it is shown only this once. Gatehouse keeps only its hash; if it is lost, generate a new one on the application's page.</p>`
  : html`<p class="notice">This application has no secret: it signs in with PKCE.</p>`}
${connectionDetails(s.client, s.issuer, s.clientSecret)}
<p><a href="/admin/clients/${encodeURIComponent(s.client.clientId)}">Application settings</a> · <a href="/admin/clients">All applications</a></p>`;
}

export function clientEditBody(s: { csrfToken: string; client: ClientView; issuer: string; values: ClientFormValues; errors: FieldErrors; notice?: string; webhooks: WebhookView[] }): SafeHtml {
  const { client, values: v, errors } = s;
  const id = encodeURIComponent(client.clientId);
  return html`<p><a href="/admin/clients">← Applications</a></p><h1>${client.name}</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<p>${TYPE_LABELS[client.type]} · client ID <code>${client.clientId}</code> · ID tokens signed with ${client.idTokenSigningAlg}</p>
${apiGrantLine(client)}
${errorSummary(errors)}
<form method="post" action="/admin/clients/${id}">${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: v.name, error: errors.name, required: true })}
${client.type === 'machine' ? html`<p class="hint">Machine clients use client credentials and have no redirect URIs.</p>` : uriControls(v, errors)}
${firstPartyControl(v)}
${algControl(v, errors)}
${apiAccessControls(v, errors)}
<button type="submit">Save</button></form>
${connectionDetails(client, s.issuer, null)}
${client.type === 'public' ? '' : html`<h2>Client secret</h2><p>Lost the secret, or suspect someone else has it? A new one replaces it: the old one stops working at once, so update the application straight after.</p>
<p><a href="/admin/clients/${id}/secret">Generate a new secret…</a></p>`}
${webhookSection(client, s.webhooks)}
<h2>Remove</h2><p><a href="/admin/clients/${id}/remove">Remove this application…</a></p>`;
}

export function clientSecretConfirmBody(s: { csrfToken: string; client: ClientView; error?: string }): SafeHtml {
  const id = encodeURIComponent(s.client.clientId);
  return html`<p><a href="/admin/clients/${id}">← ${s.client.name}</a></p><h1>New secret for ${s.client.name}?</h1>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<p>The current secret stops working at once: the application cannot sign anyone in until it is given the new one. Only someone holding every permission of the people who use this application may do this.</p>
<form method="post" action="/admin/clients/${id}/secret">${csrfField(s.csrfToken)}
<button type="submit" class="danger">Generate a new secret</button></form>
<p><a href="/admin/clients/${id}">Cancel</a></p>`;
}

export function clientSecretBody(s: { client: ClientView; clientSecret: string; issuer: string }): SafeHtml {
  const id = encodeURIComponent(s.client.clientId);
  return html`<h1>New secret for ${s.client.name}</h1>
<p class="notice" role="status">The old secret no longer works.</p>
<table><tbody><tr><th>Client ID</th><td><code>${s.client.clientId}</code></td></tr>
<tr><th>Client secret</th><td><code id="client-secret">${s.clientSecret}</code> ${copyButton('client-secret')}</td></tr></tbody></table>
<p class="warning" role="alert">Copy the secret now: it is shown only this once.</p>
${connectionDetails(s.client, s.issuer, s.clientSecret)}
<p><a href="/admin/clients/${id}">Application settings</a> · <a href="/admin/clients">All applications</a></p>`;
}

export function clientRemoveBody(s: { csrfToken: string; client: ClientView }): SafeHtml {
  const id = encodeURIComponent(s.client.clientId);
  return html`<h1>Remove ${s.client.name}?</h1>
<p>Users can no longer sign in to it through Gatehouse. Its client ID and secret stop working at once. This cannot be undone.</p>
<form method="post" action="/admin/clients/${id}/remove">${csrfField(s.csrfToken)}
<button type="submit" class="danger">Remove application</button></form>
<p><a href="/admin/clients/${id}">Cancel</a></p>`;
}
