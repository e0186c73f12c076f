// Self-registration pages: the register form, the one answer
// every accepted form gets (so nobody learns whether an address has an account), the
// confirmation step and the resend-confirmation form. They work without JavaScript.
import { html } from '../../html.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../passwords/password-policy.js';
import { PUBLIC_PATHS } from '../../registration/public-paths.js';
import { csrfField, field, page } from '../layout.js';

export interface RegisterFormState {
  organizationName: string;
  csrfToken: string;
  domains: string[] | null;
  values?: { name?: string; email?: string };
  errors?: Record<string, string>;
}

export function registerPage(s: RegisterFormState): string {
  const e = s.errors ?? {};
  return page(
    `Register at ${s.organizationName}`,
    html`<h1>Create your ${s.organizationName} account</h1>
${s.domains ? html`<p class="hint">Registration is open to addresses at ${s.domains.join(', ')}.</p>` : ''}
<form method="post" action="/register" novalidate>
${csrfField(s.csrfToken)}
${field({ name: 'name', label: 'Your name', value: s.values?.name, error: e.name, autocomplete: 'name', required: true })}
${field({ name: 'email', label: 'Email', type: 'email', value: s.values?.email, error: e.email, autocomplete: 'email', required: true })}
${field({ name: 'password', label: 'Password', type: 'password', error: e.password, autocomplete: 'new-password', required: true, hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A long phrase is easy to remember.` })}
${field({ name: 'passwordConfirmation', label: 'Repeat the password', type: 'password', error: e.passwordConfirmation, autocomplete: 'new-password', required: true })}
<button type="submit">Register</button>
</form>
<p class="hint">Already registered? <a href="${PUBLIC_PATHS.signIn}">Sign in</a>. No confirmation email? <a href="${PUBLIC_PATHS.resendConfirmation}">Send it again</a>.</p>`,
  );
}

/** The same page whatever happened to the address (it must not tell whether an account exists). */
export function checkEmailPage(organizationName: string): string {
  return page(
    'Check your email',
    html`<h1>Check your email</h1>
<p class="notice">Thank you. We sent a message to the address you entered with what to do next.</p>
<p>It can take a few minutes to arrive; look in your spam folder too. Nothing arrived? <a href="${PUBLIC_PATHS.resendConfirmation}">Send the confirmation again</a>.</p>
<p class="hint">${organizationName}</p>`,
  );
}

/**
 * Registration refused because the organization has no free seats. Said to every visitor
 * alike while the pool is full (it is about the organization, not about the address).
 */
export function noSeatsPage(organizationName: string): string {
  return page(
    'Registration is closed for now',
    html`<h1>Registration is closed for now</h1>
<p class="error-box" role="alert">${organizationName} has no free seats, so no new account can be created at the moment. Nothing was registered.</p>
<p>Its administrators are told when this happens. Try again later, or ask an administrator for an invitation.</p>
<p class="hint">Already have an account? <a href="${PUBLIC_PATHS.signIn}">Sign in</a>.</p>`,
  );
}

export function confirmPage(token: string, csrfToken: string): string {
  return page(
    'Confirm your email address',
    html`<h1>Confirm your email address</h1>
<p>Press the button to confirm that this email address is yours.</p>
<form method="post" action="/register/confirm">
${csrfField(csrfToken)}
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm email address</button>
</form>`,
  );
}

export function confirmedPage(email: string): string {
  return page(
    'Email address confirmed',
    html`<h1>Email address confirmed</h1>
<p class="notice"><strong>${email}</strong> is confirmed and your account is active.</p>
<p><a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`,
  );
}

export function confirmationProblemPage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p><p><a href="${PUBLIC_PATHS.resendConfirmation}">Send a new confirmation link</a> · <a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`);
}

export function resendPage(csrfToken: string, values?: { email?: string }, errors?: Record<string, string>): string {
  return page(
    'Send the confirmation again',
    html`<h1>Send the confirmation again</h1>
<p>Enter the address you registered with. If it has an account waiting for confirmation, we send a new link (valid 24 hours); older links stop working.</p>
<form method="post" action="/register/resend" novalidate>
${csrfField(csrfToken)}
${field({ name: 'email', label: 'Email', type: 'email', value: values?.email, error: errors?.email, autocomplete: 'email', required: true })}
<button type="submit">Send</button>
</form>`,
  );
}
