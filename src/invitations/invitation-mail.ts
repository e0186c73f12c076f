// The invitation email (organization name, who sent it, the roles, the personal
// message, an "Accept invitation" button, the plain link and the expiry date) and the note
// to the inviter when it is accepted. HTML and text; links come from PUBLIC_URL only.
import { html } from '../html.js';
import type { MailMessage } from '../mail/mail-message.js';
import { mailButton, mailLayout } from '../mail/templates/layout.js';
import { formatMailDate } from './invitation-errors.js';

export interface InvitationMailData {
  organizationName: string;
  inviterName: string;
  roleNames: string[];
  message: string | null;
  acceptUrl: string;
  expiresAt: Date;
  givenName: string | null;
}

export function invitationMail(d: InvitationMailData): MailMessage {
  const roles = d.roleNames.join(', ');
  const expires = formatMailDate(d.expiresAt);
  const greeting = d.givenName ? `Hello ${d.givenName},` : 'Hello,';
  const subject = `${d.inviterName} invited you to join ${d.organizationName}`;
  const roleWord = d.roleNames.length === 1 ? 'role' : 'roles';
  return {
    template: 'invitation',
    subject,
    html: mailLayout(
      d.organizationName,
      html`<p>${greeting}</p>
<p><strong>${d.inviterName}</strong> invited you to join <strong>${d.organizationName}</strong> with the ${roleWord} <strong>${roles}</strong>.</p>
${d.message ? html`<p style="margin:16px 0 4px;color:#57606a">Message from ${d.inviterName}:</p><blockquote style="margin:0;padding:8px 12px;border-left:3px solid #d0d7de;white-space:pre-line">${d.message}</blockquote>` : ''}
${mailButton(d.acceptUrl, 'Accept invitation')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser to create your account:<br>${d.acceptUrl}</p>
<p style="color:#57606a;font-size:13px">This invitation expires on ${expires}. If you did not expect it, you can ignore this email.</p>`,
    ),
    text: `${greeting}

${d.inviterName} invited you to join ${d.organizationName} with the ${roleWord} ${roles}.
${d.message ? `\nMessage from ${d.inviterName}:\n${d.message}\n` : ''}
Accept the invitation and create your account:

${d.acceptUrl}

This invitation expires on ${expires}. If you did not expect it, you can ignore this email.
`,
  };
}

export function invitationAcceptedMail(d: { organizationName: string; inviterName: string; inviteeName: string; inviteeEmail: string; roleNames: string[] }): MailMessage {
  const subject = `${d.inviteeName} accepted your invitation to ${d.organizationName}`;
  const roles = d.roleNames.join(', ') || 'no roles';
  return {
    template: 'invitation-accepted',
    subject,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.inviterName},</p>
<p><strong>${d.inviteeName}</strong> (${d.inviteeEmail}) accepted your invitation and now has an active account with the roles <strong>${roles}</strong>.</p>`,
    ),
    text: `Hello ${d.inviterName},

${d.inviteeName} (${d.inviteeEmail}) accepted your invitation and now has an active account with the roles ${roles}.
`,
  };
}
