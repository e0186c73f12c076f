// /admin/upstream: upstream OpenID providers offered on the sign-in page.
import { html } from '../../../html.js';
import type { UpstreamProviderView } from '../../../upstream/upstream-service.js';
import { csrfField, field } from '../../layout.js';
import { checkbox } from '../../form-controls.js';

export interface UpstreamFormValues {
  label?: string;
  issuer?: string;
  clientId?: string;
  scopes?: string;
  emailClaim?: string;
  createAccounts?: boolean;
  enforcesSecondFactor?: boolean;
}

export function upstreamBody(s: { providers: UpstreamProviderView[]; csrfToken: string; callbackUrl: string; values?: UpstreamFormValues; errors?: Record<string, string>; notice?: string }) {
  const v = s.values ?? {};
  const e = s.errors ?? {};
  return html`<h1>Sign in with another provider</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
<p>Offer your company's identity provider (for example Entra ID) on the sign-in page. Register this redirect URI there: <code>${s.callbackUrl}</code></p>
<table><thead><tr><th>Button</th><th>Issuer</th><th>Client id</th><th>Creates accounts</th><th>Second factor</th><th></th></tr></thead><tbody>
${s.providers.map(
  (p) => html`<tr><td>${p.label}</td><td>${p.issuer}</td><td>${p.clientId}</td><td>${p.createAccounts ? 'yes' : 'no (existing accounts and open registration only)'}</td><td>${p.enforcesSecondFactor ? 'enforced by the provider' : 'asked by Gatehouse'}</td>
<td><a href="/admin/upstream/${p.id}">Edit</a> <form method="post" action="/admin/upstream/${p.id}/remove">${csrfField(s.csrfToken)}<button class="danger" type="submit" style="margin:0">Remove</button></form></td></tr>`,
)}
${s.providers.length === 0 ? html`<tr><td colspan="6">None yet.</td></tr>` : ''}
</tbody></table>
<h2>Add a provider</h2>
<form method="post" action="/admin/upstream" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'label', label: 'Button label', value: v.label, error: e.label, hint: 'For example "Sign in with Contoso".' })}
${field({ name: 'issuer', label: 'Issuer URL', value: v.issuer, error: e.issuer })}
${field({ name: 'clientId', label: 'Client id', value: v.clientId, error: e.clientId })}
${field({ name: 'clientSecret', label: 'Client secret', type: 'password', error: e.clientSecret, hint: 'Stored encrypted; leave empty for a public client.' })}
${field({ name: 'scopes', label: 'Scopes', value: v.scopes ?? 'openid email profile', error: e.scopes })}
${field({ name: 'emailClaim', label: 'Email claim', value: v.emailClaim ?? 'email', error: e.claimMapping })}
${checkbox({ name: 'createAccounts', label: 'Create an account at first sign-in (seats permitting)', checked: !!v.createAccounts, hint: 'Otherwise only existing accounts, matched by verified email, and open self-registration may sign in.' })}
${checkbox({ name: 'enforcesSecondFactor', label: 'This provider enforces a second factor', checked: !!v.enforcesSecondFactor, hint: "Only when the provider itself asks everyone for a second factor: Gatehouse then does not ask for its own after this provider's sign-in." })}
<p class="hint">An existing account is linked by email only when you could manage that account yourself, never the owner's; an account holding permissions is linked only after its holder enters their Gatehouse password.</p>
<button type="submit">Add provider</button></form>`;
}

/** The provider's own page: the same fields as adding it; an empty secret keeps the stored one. */
export function upstreamEditBody(s: { provider: UpstreamProviderView; csrfToken: string; values?: UpstreamFormValues; errors?: Record<string, string>; refusal?: string }) {
  const p = s.provider;
  const v: UpstreamFormValues = s.values ?? { label: p.label, issuer: p.issuer, clientId: p.clientId, scopes: p.scopes, emailClaim: p.claimMapping.email, createAccounts: p.createAccounts, enforcesSecondFactor: p.enforcesSecondFactor };
  const e = s.errors ?? {};
  return html`<h1>${p.label}</h1>
<p><a href="/admin/upstream">Back to the sign-in providers</a></p>
${s.refusal ? html`<p class="error-box" role="alert">${s.refusal}</p>` : ''}
<form method="post" action="/admin/upstream/${p.id}" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'label', label: 'Button label', value: v.label, error: e.label })}
${field({ name: 'issuer', label: 'Issuer URL', value: v.issuer, error: e.issuer })}
${field({ name: 'clientId', label: 'Client id', value: v.clientId, error: e.clientId })}
${field({ name: 'clientSecret', label: 'Client secret', type: 'password', error: e.clientSecret, hint: p.hasClientSecret ? 'A secret is stored (encrypted). Leave empty to keep it.' : 'Leave empty for a public client.' })}
${field({ name: 'scopes', label: 'Scopes', value: v.scopes, error: e.scopes })}
${field({ name: 'emailClaim', label: 'Email claim', value: v.emailClaim, error: e.claimMapping })}
${checkbox({ name: 'createAccounts', label: 'Create an account at first sign-in (seats permitting)', checked: !!v.createAccounts })}
${checkbox({ name: 'enforcesSecondFactor', label: 'This provider enforces a second factor', checked: !!v.enforcesSecondFactor })}
<p class="hint">The issuer, client, scopes, email claim and second-factor setting decide who this provider signs in as: changing them needs the permissions of every account linked to it.</p>
<button type="submit">Save</button></form>`;
}
