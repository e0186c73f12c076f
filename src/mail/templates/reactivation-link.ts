// Sent when an admin reactivates an account by link (per-status actions:
// "emailing a reactivation link valid 72 h that the user follows"). Links come from
// PUBLIC_URL, never the Host header.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

function formatDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

export function reactivationLinkMail(d: { organizationName: string; name: string; username: string; link: string; expiresAt: Date }): MailMessage {
  const expires = formatDate(d.expiresAt);
  return {
    template: 'reactivation-link',
    subject: `Reactivate your ${d.organizationName} account`,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.name},</p>
<p>Your account <strong>${d.username}</strong> at ${d.organizationName} is inactive. An administrator invites you to reactivate it: follow the link and confirm.</p>
${mailButton(d.link, 'Reactivate my account')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${d.link}</p>
<p style="color:#57606a;font-size:13px">The link works until ${expires}. If you no longer need the account, ignore this email.</p>`,
    ),
    text: `Hello ${d.name},

Your account ${d.username} at ${d.organizationName} is inactive. An administrator invites you to reactivate it: follow the link and confirm.

${d.link}

The link works until ${expires}. If you no longer need the account, ignore this email.
`,
  };
}
