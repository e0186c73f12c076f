// The forgotten-password mail (forgotten-password email, link 30 min). It
// goes only to the address of an existing active account; the page answers the same
// whether or not one exists, so the mail is the only place the outcome shows.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

export interface PasswordResetMailData {
  organizationName: string;
  name: string;
  resetUrl: string;
  validMinutes: number;
  /** Where to ask again once the link has expired. */
  forgotUrl: string;
}

export function passwordResetMail(d: PasswordResetMailData): MailMessage {
  const subject = `Reset your ${d.organizationName} password`;
  return {
    template: 'password-reset',
    subject,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.name},</p>
<p>Someone, probably you, asked to reset the password of your ${d.organizationName} account. Choose a new password here:</p>
${mailButton(d.resetUrl, 'Choose a new password')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${d.resetUrl}</p>
<p style="color:#57606a;font-size:13px">The link works once, for ${d.validMinutes} minutes. After the reset you are signed out everywhere. If it has expired, ask for a new one at ${d.forgotUrl}.</p>
<p style="color:#57606a;font-size:13px">If you did not ask for this, ignore this email: your password stays as it is.</p>`,
    ),
    text: `Hello ${d.name},

Someone, probably you, asked to reset the password of your ${d.organizationName} account. Choose a new password here:

${d.resetUrl}

The link works once, for ${d.validMinutes} minutes. After the reset you are signed out everywhere. If it has expired, ask for a new one at ${d.forgotUrl}.

If you did not ask for this, ignore this email: your password stays as it is.
`,
  };
}

/**
 * A reset asked for an address no account has: careful providers answer the mailbox
 * anyway, so the form does the same work — one mail — whether or not the account exists,
 * and whoever owns the address learns why no link came.
 */
export function passwordResetNoAccountMail(d: { organizationName: string; address: string; signInUrl: string }): MailMessage {
  const subject = `Password reset for ${d.organizationName}`;
  const lines = [
    'Hello,',
    `Someone asked to reset the ${d.organizationName} password of an account with the address ${d.address}, but no account there has this address, so no reset link was sent.`,
    'If it was you, perhaps your account uses another address; your administrator can tell you. If it was not you, ignore this email.',
  ];
  return {
    template: 'password-reset-no-account',
    subject,
    html: mailLayout(d.organizationName, html`${lines.map((l) => html`<p>${l}</p>`)}<p style="color:#57606a;font-size:13px">Sign in: ${d.signInUrl}</p>`),
    text: `${lines.join('\n\n')}\n\nSign in: ${d.signInUrl}\n`,
  };
}

/**
 * A reset asked for an address someone else set on an account and nobody has confirmed
 * yet: no link goes to it (the takeover path is "change the email, then reset"), only
 * the way to confirm it first.
 */
export function passwordResetUnconfirmedMail(d: { organizationName: string; name: string; confirmUrl: string }): MailMessage {
  const lines = [
    `Hello ${d.name},`,
    `Someone asked to reset the password of your ${d.organizationName} account. This address was set on the account by someone else and is not confirmed yet, so no reset link was sent to it.`,
    `Confirm the address first at ${d.confirmUrl}, then ask for the reset again.`,
  ];
  return {
    template: 'password-reset-unconfirmed',
    subject: `Password reset for ${d.organizationName}: confirm your address first`,
    html: mailLayout(d.organizationName, html`${lines.map((l) => html`<p>${l}</p>`)}`),
    text: `${lines.join('\n\n')}\n`,
  };
}
