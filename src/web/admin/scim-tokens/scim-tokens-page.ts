// /admin/scim-tokens: bearer tokens for directories (Entra ID, Okta) provisioning over SCIM,
// each with its permission set and standing (orphaned, stopped, migrated set to review), and
// the provisioning connection it writes for (each connection keeps its own externalIds).
import { copyButton } from '../../scripts/copy-button.js';
import { html, type SafeHtml } from '../../../html.js';
import type { ScimTokenView } from '../../../scim-tokens/scim-token-service.js';
import { checkboxes, select } from '../../form-controls.js';
import type { ConnectionView } from '../../../connections/connection-service.js';
import { csrfField, field } from '../../layout.js';
import { timeHtml } from '../../time-format.js';

export interface ScimTokensState {
  tokens: ScimTokenView[];
  csrfToken: string;
  scimUrl: string;
  /** What the signed-in admin may put in a token's set, and what is pre-checked. */
  grantable: string[];
  checked: string[];
  /** The organization's time zone: times are shown in it. */
  timeZone: string;
  /** The SCIM connections a new token may join. */
  connections: ConnectionView[];
  created?: { name: string; token: string; rotated?: boolean };
  notice?: string;
  /** A refused adopt or review, shown above the list. */
  problem?: string;
  nameValue?: string;
  nameError?: string;
  permissionsError?: string;
  connectionIdValue?: string;
  connectionNameValue?: string;
  connectionError?: string;
}

const when = (d: Date | null, timeZone: string) => (d ? timeHtml(d, timeZone) : 'never');
const options = (list: readonly string[]) => list.map((p) => ({ value: p, label: p }));

function statusCell(t: ScimTokenView, csrfToken: string): SafeHtml {
  if (t.revokedAt) return html`revoked`;
  if (t.status === 'active') return html`active`;
  return html`<strong class="field-error">${t.status}</strong>: ${t.statusReason}.
${t.status === 'orphaned' ? html`<br>Acts only with ${t.effectivePermissions.length ? t.effectivePermissions.join(', ') : 'nothing'}.` : html`<br>Every request with it answers 401.`}
<form method="post" action="/admin/scim-tokens/${t.id}/adopt">${csrfField(csrfToken)}<button type="submit" style="margin:4px 0 0">Adopt</button></form>
<p class="hint">Adopting makes you its creator (you must hold its whole set); the directory keeps its secret.</p>`;
}

function reviewForm(t: ScimTokenView, csrfToken: string): SafeHtml {
  if (t.revokedAt || !t.needsReview) return html``;
  return html`<form method="post" action="/admin/scim-tokens/${t.id}/review">${csrfField(csrfToken)}
${checkboxes({ name: 'permissions', label: 'Review permissions', options: options(t.permissions), checked: t.permissions, hint: 'This set was given when token permissions were introduced: its creator\'s permissions then. Untick what the directory does not need.' })}
<button type="submit" style="margin:4px 0 0">Confirm permissions</button></form>`;
}

export function scimTokensBody(s: ScimTokensState) {
  return html`<h1>SCIM provisioning</h1>
<p>Directories such as Microsoft Entra ID and Okta push users and groups to <code>${s.scimUrl}</code> with a bearer token created here.
A token acts with its permissions, as far as the account that created it still holds them; it stops when that account is deactivated.
Rotating a token gives it a new secret and keeps its name, permissions and connection.</p>
${s.created
  ? html`<div class="notice" role="status"><p>Token <strong>${s.created.name}</strong> ${s.created.rotated ? 'rotated: the old secret no longer works' : 'created'}. Copy it now: it is shown only once.</p>
<p><span id="new-scim-token"><code style="word-break:break-all">${s.created.token}</code></span> ${copyButton('new-scim-token')}</p></div>`
  : ''}
${s.notice ? html`<div class="notice" role="status"><p>${s.notice}</p></div>` : ''}
${s.problem ? html`<p class="field-error" role="alert">${s.problem}</p>` : ''}
<table><thead><tr><th>Name</th><th>Connection</th><th>Permissions</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead><tbody>
${s.tokens.map(
  (t) => html`<tr><td>${t.name} <span class="hint">${t.hint}…</span></td><td>${t.connection}</td>
<td>${t.permissions.join(', ')}${t.needsReview && !t.revokedAt ? html` <strong>(review)</strong>${reviewForm(t, s.csrfToken)}` : ''}</td>
<td>${when(t.createdAt, s.timeZone)} by ${t.createdBy}</td><td>${when(t.lastUsedAt, s.timeZone)}${t.lastUsedIp ? html` from ${t.lastUsedIp}` : ''}</td><td>${statusCell(t, s.csrfToken)}</td>
<td>${t.revokedAt ? '' : html`<form method="post" action="/admin/scim-tokens/${t.id}/rotate">${csrfField(s.csrfToken)}<button type="submit" style="margin:0 0 4px">Rotate</button></form>
<form method="post" action="/admin/scim-tokens/${t.id}/revoke">${csrfField(s.csrfToken)}<button class="danger" type="submit" style="margin:0">Revoke</button></form>`}</td></tr>`,
)}
${s.tokens.length === 0 ? html`<tr><td colspan="7">No tokens yet.</td></tr>` : ''}
</tbody></table>
<h2>Create a token</h2>
<form method="post" action="/admin/scim-tokens" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: s.nameValue, error: s.nameError, hint: 'For example "Entra ID production". Writes are audited with this name.' })}
${select({ name: 'connectionId', label: 'Connection', value: s.connectionIdValue ?? '', error: s.connectionError, options: [{ value: '', label: 'A new connection' }, ...s.connections.map((c) => ({ value: c.id, label: c.name }))], hint: 'A connection is one directory: its tokens see and set the same external ids, and no other directory\'s. Choose the directory\'s connection to add a token to it.' })}
${field({ name: 'connectionName', label: 'New connection name', value: s.connectionNameValue, hint: 'For a new connection; empty: the token\'s name.' })}
<input type="hidden" name="choosePermissions" value="1">
${checkboxes({ name: 'permissions', label: 'Permissions', options: options(s.grantable), checked: s.checked, error: s.permissionsError, hint: 'Only permissions you hold. Seats and billing are left out unless you tick them; provisioning needs users.manage (and roles.manage for groups).' })}
<button type="submit">Create token</button></form>`;
}
