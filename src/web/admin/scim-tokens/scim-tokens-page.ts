// /admin/scim-tokens: bearer tokens for directories (Entra ID, Okta) provisioning over SCIM.
import { html } from '../../../html.js';
import type { ScimTokenView } from '../../../scim-tokens/scim-token-service.js';
import { csrfField, field } from '../../layout.js';

export function scimTokensBody(s: { tokens: ScimTokenView[]; csrfToken: string; scimUrl: string; created?: { name: string; token: string }; nameValue?: string; nameError?: string }) {
  const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : 'never');
  return html`<h1>SCIM provisioning</h1>
<p>Directories such as Microsoft Entra ID and Okta push users and groups to <code>${s.scimUrl}</code> with a bearer token created here.</p>
${s.created
  ? html`<div class="notice" role="status"><p>Token <strong>${s.created.name}</strong> created. Copy it now: it is shown only once.</p>
<p><code style="word-break:break-all">${s.created.token}</code></p></div>`
  : ''}
<table><thead><tr><th>Name</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead><tbody>
${s.tokens.map(
  (t) => html`<tr><td>${t.name} <span class="hint">${t.hint}…</span></td><td>${when(t.createdAt)}</td><td>${when(t.lastUsedAt)}${t.lastUsedIp ? html` from ${t.lastUsedIp}` : ''}</td><td>${t.revokedAt ? 'revoked' : 'active'}</td>
<td>${t.revokedAt ? '' : html`<form method="post" action="/admin/scim-tokens/${t.id}/revoke">${csrfField(s.csrfToken)}<button class="danger" type="submit" style="margin:0">Revoke</button></form>`}</td></tr>`,
)}
${s.tokens.length === 0 ? html`<tr><td colspan="5">No tokens yet.</td></tr>` : ''}
</tbody></table>
<h2>Create a token</h2>
<form method="post" action="/admin/scim-tokens" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Name', value: s.nameValue, error: s.nameError, hint: 'For example "Entra ID production". Writes are audited with this name.' })}
<button type="submit">Create token</button></form>`;
}
