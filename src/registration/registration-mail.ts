// Mail for self-registration and address confirmation: the
// confirmation link, the "you already have an account" notice that keeps registration
// from revealing which addresses have accounts, and the seat-limit notice.
import { html } from '../html.js';
import type { MailMessage } from '../mail/mail-message.js';
import { mailButton, mailLayout } from '../mail/templates/layout.js';
import { formatMailDate } from '../invitations/invitation-errors.js';
import type { ConfirmationPurpose } from './email-confirmation-model.js';

export function confirmationMail(d: { organizationName: string; name: string; confirmUrl: string; expiresAt: Date; purpose: ConfirmationPurpose }): MailMessage {
  const subject = `Confirm your email address for ${d.organizationName}`;
  const why =
    d.purpose === 'registration'
      ? `Thank you for registering with ${d.organizationName}. Confirm your email address to activate your account.`
      : `Confirm that this email address belongs to your ${d.organizationName} account.`;
  const expires = formatMailDate(d.expiresAt);
  return {
    template: `confirm-email-${d.purpose}`,
    subject,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello ${d.name},</p>
<p>${why}</p>
${mailButton(d.confirmUrl, 'Confirm email address')}
<p style="color:#57606a;font-size:13px">Or paste this link into your browser:<br>${d.confirmUrl}</p>
<p style="color:#57606a;font-size:13px">The link works until ${expires}. If you did not ask for this, ignore this email${d.purpose === 'registration' ? ' and no account will be kept' : ''}.</p>`,
    ),
    text: `Hello ${d.name},

${why}

${d.confirmUrl}

The link works until ${expires}. If you did not ask for this, ignore this email${d.purpose === 'registration' ? ' and no account will be kept' : ''}.
`,
  };
}

export function alreadyHaveAccountMail(d: { organizationName: string; signInUrl: string; resetUrl: string }): MailMessage {
  const subject = `You already have an account at ${d.organizationName}`;
  return {
    template: 'registration-existing',
    subject,
    html: mailLayout(
      d.organizationName,
      html`<p>Hello,</p>
<p>Someone, probably you, tried to register with this email address, but it already has an account at ${d.organizationName}. No new account was created.</p>
${mailButton(d.signInUrl, 'Sign in')}
<p>Forgot your password? Reset it here: ${d.resetUrl}</p>
<p style="color:#57606a;font-size:13px">If this was not you, you can ignore this email.</p>`,
    ),
    text: `Hello,

Someone, probably you, tried to register with this email address, but it already has an account at ${d.organizationName}. No new account was created.

Sign in: ${d.signInUrl}
Forgot your password? Reset it here: ${d.resetUrl}

If this was not you, you can ignore this email.
`,
  };
}

export function registrationWelcomeMail(d: { organizationName: string; name: string; signInUrl: string }): MailMessage {
  return {
    template: 'registration-welcome',
    subject: `Welcome to ${d.organizationName}`,
    html: mailLayout(d.organizationName, html`<p>Hello ${d.name},</p><p>Your account at ${d.organizationName} is ready.</p>${mailButton(d.signInUrl, 'Sign in')}<p style="color:#57606a;font-size:13px">${d.signInUrl}</p>`),
    text: `Hello ${d.name},

Your account at ${d.organizationName} is ready. Sign in: ${d.signInUrl}
`,
  };
}

export function registrationNoSeatsMail(d: { organizationName: string }): MailMessage {
  return {
    template: 'registration-no-seats',
    subject: `Your registration at ${d.organizationName} could not be completed`,
    html: mailLayout(d.organizationName, html`<p>Hello,</p><p>Your registration at ${d.organizationName} could not be completed because all of the organization's seats are in use. No account was created. Please contact the organization's administrator.</p>`),
    text: `Hello,

Your registration at ${d.organizationName} could not be completed because all of the organization's seats are in use. No account was created. Please contact the organization's administrator.
`,
  };
}
