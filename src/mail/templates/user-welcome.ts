// "Send welcome email" of the add-user form: a link to sign in. The password
// is never mailed: a typed one is known to the admin, a random one is shown to the admin
// once, to hand over separately.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

export function userWelcomeMail(d: { organizationName: string; name: string; username: string; signInUrl: string; confirmFirst: boolean }): MailMessage {
  const confirm = d.confirmFirst ? 'First confirm your email address with the link in our other email; then sign in.' : 'You can sign in now.';
  return {
    template: 'user-welcome',
    subject: `Welcome to ${d.organizationName}`,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.name},</p>
<p>An administrator created your account at ${d.organizationName}. Your username is <strong>${d.username}</strong>; your administrator will tell you your password. ${confirm}</p>
${mailButton(d.signInUrl, 'Sign in')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${d.signInUrl}</p>`,
    ),
    text: `Hello ${d.name},

An administrator created your account at ${d.organizationName}. Your username is ${d.username}; your administrator will tell you your password. ${confirm}

Sign in: ${d.signInUrl}
`,
  };
}
