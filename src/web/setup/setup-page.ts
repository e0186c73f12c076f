// The first-start page where the first person creates the owner account.
import { html } from '../../html.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../passwords/password-policy.js';
import { csrfField, field, page } from '../layout.js';

export interface SetupFormState {
  token: string;
  csrfToken: string;
  values?: { name?: string; email?: string };
  errors?: Record<string, string>;
  message?: string;
}

export function setupPage(s: SetupFormState): string {
  const e = s.errors ?? {};
  return page(
    'Create the owner account',
    html`<h1>Create the owner account</h1>
<p>This account owns this Gatehouse: it holds every permission and is the only one that can transfer ownership. This link works once.</p>
${s.message ? html`<p class="error-box" role="alert">${s.message}</p>` : ''}
<form method="post" action="/setup" novalidate>
${csrfField(s.csrfToken)}
<input type="hidden" name="token" value="${s.token}">
${field({ name: 'name', label: 'Your name', value: s.values?.name, error: e.name, autocomplete: 'name', required: true })}
${field({ name: 'email', label: 'Email', type: 'email', value: s.values?.email, error: e.email, autocomplete: 'email', required: true })}
${field({ name: 'password', label: 'Password', type: 'password', error: e.password, autocomplete: 'new-password', required: true, hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A long phrase is easy to remember.` })}
${field({ name: 'passwordConfirmation', label: 'Repeat the password', type: 'password', error: e.passwordConfirmation, autocomplete: 'new-password', required: true })}
<button type="submit">Create owner account</button>
</form>`,
  );
}

export function setupDonePage(email: string): string {
  return page(
    'Owner account created',
    html`<h1>Owner account created</h1>
<p class="notice">The owner account for <strong>${email}</strong> is ready. This setup link no longer works.</p>
<p>Next: sign in, add a backup administrator, set the seat limits and invite your team.</p>
<p><a href="/">Continue</a></p>`,
  );
}

export function setupClosedPage(message: string): string {
  return page('Setup link not usable', html`<h1>This setup link cannot be used</h1><p>${message}</p><p><a href="/">Go to the start page</a></p>`);
}
