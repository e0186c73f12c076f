// The public page an "it wasn't me" link opens: what the link would undo and a button —
// not a change on GET, since mail scanners open links — then the outcome.
import { html } from '../../html.js';
import { PUBLIC_PATHS } from '../../registration/public-paths.js';
import { EMAIL_RESTORE_PATH } from '../../users/email-changes.js';
import type { RestorePreview } from '../../users/email-restore-links.js';
import { csrfField, page } from '../layout.js';

export function restorePage(s: RestorePreview & { token: string; csrfToken: string }): string {
  return page(
    'Restore your email address',
    html`<h1>Restore your email address</h1>
<p>${s.newEmail ? html`${s.changedBy} changed the email address of the account <strong>${s.username}</strong> from ${s.oldEmail} to ${s.newEmail}.` : html`${s.changedBy} removed the email address ${s.oldEmail} from the account <strong>${s.username}</strong>.`}</p>
<p>If you did not expect this, press the button: ${s.oldEmail} becomes the account's address again and everyone is signed out of the account, whoever they are.</p>
<form method="post" action="${EMAIL_RESTORE_PATH}">${csrfField(s.csrfToken)}<input type="hidden" name="token" value="${s.token}">
<button type="submit" class="danger">It wasn't me: restore ${s.oldEmail}</button></form>`,
  );
}

export function restoredPage(s: RestorePreview): string {
  return page(
    'Email address restored',
    html`<h1>Your email address is restored</h1>
<p class="notice" role="status">The account ${s.username} has the address ${s.oldEmail} again, and everyone was signed out of it.</p>
<p>If you think someone else knows your password, choose a new one with "Forgot your password?" on the sign-in page, and tell your administrator.</p>
<p><a href="${PUBLIC_PATHS.signIn}">Sign in</a></p>`,
  );
}

export function restoreProblemPage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p class="error-box" role="alert">${message}</p>`);
}
