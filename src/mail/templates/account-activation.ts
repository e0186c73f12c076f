// Sent when a directory provisions an account and the setting "provisioned users sign in
// with" is `activation email`: a set-password link, spent once. Links come
// from PUBLIC_URL, never the Host header.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

export interface AccountActivationMailData {
  organizationName: string;
  name: string;
  username: string;
  link: string;
  validHours: number;
  /** Where to ask for a new link once this one has expired. */
  forgotUrl: string;
}

export function accountActivationMail(d: AccountActivationMailData): MailMessage {
  return {
    template: 'account-activation',
    subject: `Set your ${d.organizationName} password`,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.name},</p>
<p>Your organization created the account <strong>${d.username}</strong> for you at ${d.organizationName}. Choose your password to start signing in:</p>
${mailButton(d.link, 'Choose my password')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${d.link}</p>
<p style="color:#57606a;font-size:13px">The link works once, for ${d.validHours} hours. If it has expired, ask for a new one at ${d.forgotUrl}.</p>`,
    ),
    text: `Hello ${d.name},

Your organization created the account ${d.username} for you at ${d.organizationName}. Choose your password to start signing in:

${d.link}

The link works once, for ${d.validHours} hours. If it has expired, ask for a new one at ${d.forgotUrl}.
`,
  };
}
