// The invitation accept page: who invites the visitor to which
// organization with which roles, then password (password-policy.ts), name and phone with its
// country code (not asked, optional, or required and proven by a code sent by SMS: the
// "Send code" form above the accept form posts to /invitations/accept/phone-code). Works
// without JavaScript.
import { html, type SafeHtml } from '../../html.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../passwords/password-policy.js';
import type { AcceptPreview } from '../../invitations/invitation-acceptance.js';
import { formatMailDate } from '../../invitations/invitation-errors.js';
import { csrfField, field, page } from '../layout.js';

export interface AcceptFormValues {
  givenName?: string | null;
  familyName?: string | null;
  phoneCountry?: string | null;
  phoneNumber?: string | null;
  phoneCode?: string | null;
}

export interface AcceptFormState {
  token: string;
  csrfToken: string;
  preview: AcceptPreview;
  values?: AcceptFormValues;
  errors?: Record<string, string>;
  message?: string;
  /** The number a code was just sent to. */
  codeSentTo?: string;
}

function optionalPhoneFields(v: AcceptFormValues, e: Record<string, string>): SafeHtml {
  return html`${field({ name: 'phoneCountry', label: 'Phone country code (optional)', value: v.phoneCountry, error: e.phoneCountry, autocomplete: 'tel-country-code', hint: 'Such as +44 or +1.' })}
${field({ name: 'phoneNumber', label: 'Phone number (optional)', type: 'tel', value: v.phoneNumber, error: e.phone ?? e.phoneNumber, autocomplete: 'tel-national' })}`;
}

/**
 * A form of its own above the accept form: pressing Enter in the accept form must accept,
 * never send (and so end) another code.
 */
function sendCodeForm(s: AcceptFormState, v: AcceptFormValues, e: Record<string, string>): SafeHtml {
  return html`<form method="post" action="/invitations/accept/phone-code" novalidate id="send-code">
${csrfField(s.csrfToken)}
<input type="hidden" name="token" value="${s.token}">
<fieldset><legend>Your mobile number</legend>
<p class="hint">We send a 6-digit code to it by text message; the account is created once you enter the code below.</p>
${field({ name: 'phoneCountry', label: 'Country code', value: v.phoneCountry, error: e.phoneCountry, autocomplete: 'tel-country-code', hint: 'Such as +44 or +1.' })}
${field({ name: 'phoneNumber', label: 'Mobile number', type: 'tel', value: v.phoneNumber, error: e.phone ?? e.phoneNumber, autocomplete: 'tel-national' })}
<button type="submit" class="button-secondary">${s.codeSentTo ? 'Send a new code' : 'Send code'}</button>
${s.codeSentTo ? html`<p class="notice" role="status">We sent a code to ${s.codeSentTo}. It works for 10 minutes.</p>` : ''}
</fieldset></form>`;
}

/** In the accept form: the number the code went to (carried) and the code. */
function codeFields(v: AcceptFormValues, e: Record<string, string>): SafeHtml {
  return html`<input type="hidden" name="phoneCountry" value="${v.phoneCountry ?? ''}">
<input type="hidden" name="phoneNumber" value="${v.phoneNumber ?? ''}">
${field({ name: 'phoneCode', label: 'Code from the text message', value: v.phoneCode, error: e.phoneCode, autocomplete: 'one-time-code' })}`;
}

export function acceptPage(s: AcceptFormState): string {
  const p = s.preview;
  const e = s.errors ?? {};
  const v = s.values ?? { givenName: p.givenName, familyName: p.familyName };
  const roles = p.roleNames.join(', ');
  return page(
    `Join ${p.organizationName}`,
    html`<h1>Join ${p.organizationName}</h1>
<p>${p.inviterName ?? 'An administrator'} invited <strong>${p.email}</strong> to join <strong>${p.organizationName}</strong> with the ${p.roleNames.length === 1 ? 'role' : 'roles'} <strong>${roles}</strong>.</p>
<p class="hint">This invitation works until ${formatMailDate(p.expiresAt)}.</p>
${s.message ? html`<p class="error-box" role="alert">${s.message}</p>` : ''}
${p.phone === 'verified' ? sendCodeForm(s, v, e) : ''}
<form method="post" action="/invitations/accept" novalidate>
${csrfField(s.csrfToken)}
<input type="hidden" name="token" value="${s.token}">
${field({ name: 'givenName', label: 'First name', value: v.givenName, error: e.givenName, autocomplete: 'given-name' })}
${field({ name: 'familyName', label: 'Last name', value: v.familyName, error: e.familyName, autocomplete: 'family-name' })}
${p.phone === 'verified' ? codeFields(v, e) : p.phone === 'optional' ? optionalPhoneFields(v, e) : ''}
${field({ name: 'password', label: 'Choose a password', type: 'password', error: e.password, autocomplete: 'new-password', required: true, hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better. A long phrase is easy to remember.` })}
${field({ name: 'passwordConfirmation', label: 'Repeat the password', type: 'password', error: e.passwordConfirmation, autocomplete: 'new-password', required: true })}
<button type="submit">Accept invitation and create account</button>
</form>`,
  );
}

export function acceptedPage(d: { organizationName: string; email: string; emailVerified: boolean; continueUrl: string }): string {
  return page(
    'Welcome',
    html`<h1>Welcome to ${d.organizationName}</h1>
<p class="notice">Your account for <strong>${d.email}</strong> is ready.</p>
${d.emailVerified ? '' : html`<p>We sent a confirmation link to ${d.email}: follow it to confirm that the address is yours.</p>`}
<p><a href="${d.continueUrl}">Continue to your account</a></p>`,
  );
}

/** Used, expired, cancelled, superseded or unknown links: what happened and what to do next. */
export function invitationProblemPage(title: string, message: string, signInUrl: string | null): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p>${signInUrl ? html`<p><a href="${signInUrl}">Sign in</a></p>` : ''}`);
}
