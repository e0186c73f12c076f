// The forgotten-password mail (SPEC "Sign-in": forgotten-password email, link 30 min). It
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
