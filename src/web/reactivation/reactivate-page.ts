// The public page a reactivation link opens (reactivation by emailed
// link): a button, not a change on GET — mail scanners open links — then the outcome.
import { html } from '../../html.js';
import { PUBLIC_PATHS } from '../../registration/public-paths.js';
import { csrfField, page } from '../layout.js';

export function reactivatePage(s: { token: string; csrfToken: string; username: string; name: string }): string {
  return page(
    'Reactivate your account',
    html`<h1>Reactivate your account</h1>
<p>Hello ${s.name}. Your account <strong>${s.username}</strong> is inactive. Press the button to make it active again.</p>
<form method="post" action="/reactivate">${csrfField(s.csrfToken)}<input type="hidden" name="token" value="${s.token}">
<button type="submit">Reactivate my account</button></form>`,
  );
}

export function reactivatedPage(username: string): string {
  return page(
    'Account reactivated',
    html`<h1>Your account is active again</h1>
<p class="notice" role="status">Welcome back, ${username}. You can sign in with your username and password.</p>
<p><a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`,
  );
}

export function reactivationProblemPage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p class="error-box" role="alert">${message}</p>`);
}
