// The account page's passkeys: each with its name, when it was added and last used, a
// remove button (plain forms), and the form that adds one (the ceremony needs JavaScript).
import { html, type SafeHtml } from '../../html.js';
import type { PasskeyView } from '../../passkeys/passkey-service.js';
import type { PasskeyPolicy } from '../../passkeys/passkey-policy.js';
import { csrfField, field } from '../layout.js';
import { passkeyForm } from '../scripts/passkey-ceremony.js';

export interface PasskeySectionState {
  csrfToken: string;
  passkeys: PasskeyView[];
  policy: PasskeyPolicy;
  error?: string;
}

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'Never');

const POLICY_WORDS: Record<PasskeyPolicy, string> = {
  allowed: 'Sign in with a passkey instead of your password, or use one as the second step after it. A passkey cannot be phished: it works only on this site.',
  second_factor: 'Your organization requires a passkey as the second step after your password.',
  passkey_only: 'Your organization requires you to sign in with a passkey; your password alone no longer signs you in.',
};

export function passkeySection(s: PasskeySectionState): SafeHtml {
  return html`<h2 id="passkeys">Passkeys</h2>
<p>${POLICY_WORDS[s.policy]}</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
${s.passkeys.length
  ? html`<table id="my-passkeys"><thead><tr><th>Name</th><th>Added</th><th>Last used</th><th></th></tr></thead><tbody>
${s.passkeys.map((p) => html`<tr><td>${p.name}${p.synced ? html` <span class="badge">synced</span>` : ''}</td><td>${when(p.createdAt)}</td><td>${when(p.lastUsedAt)}</td>
<td><form method="post" action="/account/passkeys/${p.id}/remove">${csrfField(s.csrfToken)}<button type="submit" class="button-secondary" style="margin-top:0">Remove</button></form></td></tr>`)}
</tbody></table>`
  : html`<p class="muted">No passkeys yet.</p>`}
${passkeyForm({
  mode: 'register',
  action: '/account/passkeys',
  optionsUrl: '/account/passkeys/options',
  csrfToken: s.csrfToken,
  label: 'Add a passkey',
  id: 'add-passkey',
  fields: field({ name: 'name', label: 'Name of the new passkey', hint: 'Such as "Work laptop" or "Phone", to tell your passkeys apart.' }),
})}`;
}
