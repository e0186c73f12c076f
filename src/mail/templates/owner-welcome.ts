// Sent to the owner once the first-start setup has created their account.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

export function ownerWelcomeMail(data: { organizationName: string; name: string; adminUrl: string }): MailMessage {
  const subject = `Your ${data.organizationName} identity provider is ready`;
  return {
    template: 'owner-welcome',
    subject,
    html: mailLayout(
      data.organizationName,
      html`<p>Hello ${data.name},</p>
<p>Your owner account is set up. Sign in to the admin pages to add a backup administrator, set seat limits and invite your team.</p>
${mailButton(data.adminUrl, 'Open the admin pages')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser: ${data.adminUrl}</p>`,
    ),
    text: `Hello ${data.name},

Your owner account is set up. Sign in to the admin pages to add a backup administrator, set seat limits and invite your team:

${data.adminUrl}
`,
  };
}
