// Pages of the forgotten-password flow: ask for a link, "check your email" (the same
// whatever the address), choose a new password, done, and the link's problems.
import { html } from '../../html.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../passwords/password-policy.js';
import { PASSWORD_PATHS, RESET_LINK_MINUTES } from '../../passwords/password-reset-service.js';
import { PUBLIC_PATHS } from '../../registration/public-paths.js';
import { csrfField, field, page } from '../layout.js';

export function forgotPage(csrfToken: string, values?: { email?: string }, errors?: Record<string, string>): string {
  return page(
    'Forgot your password?',
    html`<h1>Forgot your password?</h1>
<p>Enter the email address of your account. We send you a link to choose a new password; it works once, for ${RESET_LINK_MINUTES} minutes.</p>
<form method="post" action="${PASSWORD_PATHS.forgot}" novalidate>
${csrfField(csrfToken)}
${field({ name: 'email', label: 'Email', type: 'email', value: values?.email, error: errors?.email, autocomplete: 'email', required: true })}
<button type="submit">Send the link</button>
</form>
<p><a href="${PUBLIC_PATHS.signIn}">Back to sign-in</a></p>`,
  );
}

/** The one answer to every well-formed request, so the page never tells who has an account. */
export function resetRequestedPage(): string {
  return page(
    'Check your email',
    html`<h1>Check your email</h1>
<p class="notice">If an account that can sign in uses this address, we have sent it a link to choose a new password. The link works once, for ${RESET_LINK_MINUTES} minutes.</p>
<p>It can take a few minutes to arrive; look in your spam folder too. Nothing arrived? Check that you used the address of your account, or <a href="${PASSWORD_PATHS.forgot}">ask again</a>.</p>
<p>Registered but never confirmed your address? <a href="${PUBLIC_PATHS.resendConfirmation}">Send the confirmation again</a> first. Account deactivated? Contact your administrator.</p>`,
  );
}

export interface ResetFormState {
  token: string;
  csrfToken: string;
  login: string;
  errors?: Record<string, string>;
}

export function resetPage(s: ResetFormState): string {
  const e = s.errors ?? {};
  return page(
    'Choose a new password',
    html`<h1>Choose a new password</h1>
<p>For the account <strong>${s.login}</strong>. After the change you are signed out everywhere, in every application, and sign in again with the new password.</p>
<form method="post" action="${PASSWORD_PATHS.reset}" novalidate>
${csrfField(s.csrfToken)}
<input type="hidden" name="token" value="${s.token}">
${field({ name: 'password', label: 'New password', type: 'password', error: e.password, autocomplete: 'new-password', required: true, hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A long phrase is easy to remember. Very common passwords are refused.` })}
${field({ name: 'passwordConfirmation', label: 'Repeat the new password', type: 'password', error: e.passwordConfirmation, autocomplete: 'new-password', required: true })}
<button type="submit">Change password</button>
</form>`,
  );
}

export function resetDonePage(): string {
  return page(
    'Password changed',
    html`<h1>Your password is changed</h1>
<p class="notice">You have been signed out everywhere. Sign in again with your new password.</p>
<p><a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`,
  );
}

export function resetLinkProblemPage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p><p><a href="${PASSWORD_PATHS.forgot}">Ask for a new link</a> · <a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`);
}
