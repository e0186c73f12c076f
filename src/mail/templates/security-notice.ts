// Security notices: short messages that tell a person what someone else did to an account
// (or what an account holding more power than its actor went through), so nothing that
// matters happens silently. Each has a subject, a few plain paragraphs and at most one link.
import { html } from '../../html.js';
import type { MailMessage } from '../mail-message.js';
import { mailButton, mailLayout } from './layout.js';

export interface SecurityNotice {
  /** A stable name for the outbox row and the tests. */
  template: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}

export function securityNoticeMail(organizationName: string, n: SecurityNotice): MailMessage {
  const paragraphs = n.paragraphs.map((p) => html`<p>${p}</p>`);
  return {
    template: n.template,
    subject: n.subject,
    html: mailLayout(
      organizationName,
      html`<p>${n.greeting}</p>
${paragraphs}
${n.action ? html`${mailButton(n.action.url, n.action.label)}<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${n.action.url}</p>` : ''}`,
    ),
    text: [n.greeting, ...n.paragraphs, ...(n.action ? [`${n.action.label}: ${n.action.url}`] : [])].join('\n\n') + '\n',
  };
}
