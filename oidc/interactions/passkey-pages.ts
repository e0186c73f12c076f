// Sign-in interaction pages for passkeys: the passkey as the second step (or a step-up an
// application asked for), and the enrolment a role's policy forces.
import { html } from '../../src/html.js';
import { field, page } from '../../src/web/layout.js';
import { passkeyForm } from '../../src/web/scripts/passkey-ceremony.js';

export function passkeyStepPage(s: { uid: string; csrfToken: string; codeInstead: boolean; error?: string }): string {
  return page(
    'Use your passkey',
    html`<h1>Use your passkey</h1>
<p>Confirm it's you with a passkey on this device or your phone, or a security key.</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
${passkeyForm({ mode: 'authenticate', action: `/interaction/${s.uid}/passkey`, optionsUrl: `/interaction/${s.uid}/passkey/options`, csrfToken: s.csrfToken, label: 'Use a passkey', id: 'passkey-step' })}
${s.codeInstead ? html`<p><a href="/interaction/${s.uid}/totp">Use a code from your authenticator app or a recovery code instead</a></p>` : ''}
<p><a href="/interaction/${s.uid}/abort">Cancel</a></p>`,
  );
}

export function passkeyEnrolPage(s: { uid: string; csrfToken: string; error?: string }): string {
  return page(
    'Create a passkey',
    html`<h1>Create a passkey</h1>
<p>Your organization requires a passkey for your account. Create one now on this device, your phone or a security key; next time it signs you in.</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
${passkeyForm({
  mode: 'register',
  action: `/interaction/${s.uid}/passkey/register`,
  optionsUrl: `/interaction/${s.uid}/passkey/register-options`,
  csrfToken: s.csrfToken,
  label: 'Create a passkey and continue',
  id: 'passkey-enrol',
  fields: field({ name: 'name', label: 'Name of this passkey', hint: 'Such as "Work laptop" or "Phone", to tell your passkeys apart.' }),
})}
<p><a href="/interaction/${s.uid}/abort">Cancel</a></p>`,
  );
}
