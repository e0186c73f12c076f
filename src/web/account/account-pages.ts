// Views of the account page.
import type { Request, Response } from 'express';
import { html, type SafeHtml } from '../../html.js';
import type { UserView } from '../../users/user-presenter.js';
import type { ConnectedApp, OwnSession } from '../../users/own-sessions.js';
import type { OwnProviderSession } from '../../users/own-provider-sessions.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../passwords/password-policy.js';
import { csrfField, field, page } from '../layout.js';
import type { PasskeyView } from '../../passkeys/passkey-service.js';
import type { PasskeyPolicy } from '../../passkeys/passkey-policy.js';
import { passkeySection } from './passkey-section.js';
import { timeHtml } from '../time-format.js';
import { deviceWords } from './device-words.js';
import { placeOf } from './ip-place.js';
import { signInMethodWords } from './sign-in-method-words.js';

export interface AccountPageState {
  user: UserView;
  csrfToken: string;
  isAdmin: boolean;
  notice?: string;
  profileErrors?: Record<string, string>;
  profileValues?: { givenName: string; familyName: string; countryCode: string; phone: string };
  passwordErrors?: Record<string, string>;
  totpError?: string;
  /** The "verify your phone" form: what was typed, the number a code went to, errors. */
  phoneForm?: { countryCode: string; number: string; sentTo?: string; errors?: Record<string, string>; message?: string };
  /** The roles held, each with its permissions, and the union (what applications read). */
  roles: Array<{ name: string; permissions: string[] }>;
  sessions: OwnSession[];
  /** Sign-ins at the OpenID provider, which let the person into applications. */
  providerSessions: OwnProviderSession[];
  apps: ConnectedApp[];
  passkeys: PasskeyView[];
  passkeyPolicy: PasskeyPolicy;
  passkeyError?: string;
  /** The organization's time zone, in which times are shown (and named). */
  timeZone: string;
}

/** Answers with the account page as it stands, `extra` on top (a message, a form's errors). */
export type AccountPageRenderer = (req: Request, res: Response, extra?: Partial<AccountPageState>, status?: number) => Promise<void>;

function phoneSection(s: AccountPageState): SafeHtml {
  const u = s.user;
  const f = s.phoneForm;
  const e = f?.errors ?? {};
  const status = u.phone
    ? html`<p id="my-phone">Your phone: <strong>${u.phone}</strong> ${u.phoneVerified ? html`<span class="badge">verified</span>` : html`<span class="badge">not verified</span>`}</p>`
    : html`<p id="my-phone" class="muted">No phone number yet.</p>`;
  return html`<h2 id="phone">Verify your phone</h2>
${status}
<p class="hint">We send a 6-digit code by text message; the number is saved as yours, verified, once you enter it.</p>
${f?.message ? html`<p class="error-box" role="alert">${f.message}</p>` : ''}
<form method="post" action="/account/phone/code" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'phoneCountry', label: 'Country code', value: f?.countryCode ?? '', error: e.phoneCountry, autocomplete: 'tel-country-code', hint: 'Such as +44 or +1. Leave empty if the number starts with +.' })}
${field({ name: 'phoneNumber', label: 'Mobile number', type: 'tel', value: f ? f.number : (u.phoneVerified ? '' : (u.phone ?? '')), error: e.phone, autocomplete: 'tel' })}
<button type="submit" class="button-secondary">${f?.sentTo ? 'Send a new code' : 'Send code'}</button></form>
${f?.sentTo
  ? html`<p class="notice" role="status">We sent a code to ${f.sentTo}. It works for 10 minutes.</p>
<form method="post" action="/account/phone/verify" novalidate>${csrfField(s.csrfToken)}
<input type="hidden" name="phoneCountry" value="${f.countryCode}"><input type="hidden" name="phoneNumber" value="${f.number}">
${field({ name: 'phoneCode', label: 'Code from the text message', error: e.phoneCode, autocomplete: 'one-time-code' })}
<button type="submit">Verify phone</button></form>`
  : ''}`;
}

function rolesSection(s: AccountPageState): SafeHtml {
  if (s.roles.length === 0) return html`<h2>Roles</h2><p class="muted">You hold no roles.</p>`;
  return html`<h2>Roles and permissions</h2>
<ul id="my-roles">${s.roles.map((r) => html`<li><strong>${r.name}</strong>: ${r.permissions.length ? r.permissions.join(', ') : html`<span class="muted">no permissions</span>`}</li>`)}</ul>
<p class="hint">Applications you sign in to may read these when they ask for them.</p>`;
}

function providerSessionsSection(s: AccountPageState): SafeHtml {
  if (s.providerSessions.length === 0) return html`<h2>Signed in to applications</h2><p class="muted" id="my-provider-sessions">None now.</p>`;
  return html`<h2>Signed in to applications</h2>
<p class="hint">Each sign-in lets you into applications without your password again. Signing out of one ends it and the applications' access through it.</p>
<table id="my-provider-sessions"><thead><tr><th>Signed in</th><th>Applications</th><th>How</th><th></th></tr></thead><tbody>
${s.providerSessions.map((x) => html`<tr><td>${x.signedInAt ? timeHtml(x.signedInAt, s.timeZone) : html`<span class="muted">unknown</span>`}${x.current ? html` · <strong>This browser</strong>` : ''}</td><td>${x.applications.length ? x.applications.join(', ') : html`<span class="muted">none yet</span>`}</td><td>${signInMethodWords(x.amr)}</td>
<td><form method="post" action="/account/provider-sessions/end">${csrfField(s.csrfToken)}<input type="hidden" name="ref" value="${x.ref}"><button type="submit" class="button-secondary" style="margin-top:0">Sign out</button></form></td></tr>`)}
</tbody></table>`;
}

function sessionsSection(s: AccountPageState): SafeHtml {
  const when = (d: Date) => timeHtml(d, s.timeZone);
  return html`<h2>Where you are signed in</h2>
<table id="my-sessions"><thead><tr><th>Device</th><th>Place</th><th>Signed in</th><th>Last used</th><th></th></tr></thead><tbody>
${s.sessions.map((x) => html`<tr><td>${deviceWords(x.userAgent)}${x.current ? html` · <strong>This browser</strong>` : ''}</td><td>${x.ip ? html`${placeOf(x.ip)} <span class="muted" title="The address the sign-in came from">${x.ip}</span>` : html`<span class="muted">unknown</span>`}</td><td>${when(x.createdAt)}</td><td>${when(x.lastSeenAt)}</td>
<td>${x.current ? '' : html`<form method="post" action="/account/sessions/end">${csrfField(s.csrfToken)}<input type="hidden" name="ref" value="${x.ref}"><button type="submit" class="button-secondary" style="margin-top:0">Sign out</button></form>`}</td></tr>`)}
</tbody></table>
${providerSessionsSection(s)}
<h2>Applications you gave access</h2>
${s.apps.length
  ? html`<table id="my-apps"><thead><tr><th>Application</th><th>Access</th><th></th></tr></thead><tbody>
${s.apps.map((a) => html`<tr><td>${a.name}</td><td>${a.scopes.join(' ')}</td><td><form method="post" action="/account/apps/revoke">${csrfField(s.csrfToken)}<input type="hidden" name="grant" value="${a.grantId}"><button type="submit" class="button-secondary" style="margin-top:0">Remove access</button></form></td></tr>`)}
</tbody></table>`
  : html`<p class="muted">None yet.</p>`}`;
}

export function accountPage(s: AccountPageState): string {
  const u = s.user;
  const pv = s.profileValues;
  const pe = s.profileErrors ?? {};
  const we = s.passwordErrors ?? {};
  return page(
    'Your account',
    html`<h1>Your account</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${u.totpEnabled || s.passkeys.length ? '' : html`<p class="warning" role="note" id="two-step-prompt">Two-step verification is off: a stolen password is enough to sign in as you. <a href="#two-step">Turn it on</a>.</p>`}
<p>Signed in as <strong>${u.username}</strong>${u.email ? html` (${u.email})` : ''}.${s.isAdmin ? html` <a href="/admin">Admin pages</a>` : ''}</p>
<form method="post" action="/auth/logout">${csrfField(s.csrfToken)}<button type="submit" style="background:#6e7781;margin-top:0">Sign out</button></form>

${rolesSection(s)}

<h2>Profile</h2>
<form method="post" action="/account/profile" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'givenName', label: 'First name', value: pv ? pv.givenName : u.givenName, error: pe.givenName, autocomplete: 'given-name' })}
${field({ name: 'familyName', label: 'Last name', value: pv ? pv.familyName : u.familyName, error: pe.familyName, autocomplete: 'family-name' })}
${field({ name: 'countryCode', label: 'Country code', value: pv ? pv.countryCode : '', hint: 'For example 44 or +1. Leave empty if the number starts with +.' })}
${field({ name: 'phone', label: 'Phone', type: 'tel', value: pv ? pv.phone : u.phone, error: pe.phone, autocomplete: 'tel' })}
<button type="submit">Save profile</button></form>

${phoneSection(s)}

<h2>Password</h2>
<form method="post" action="/account/password" novalidate>${csrfField(s.csrfToken)}
${u.hasPassword ? field({ name: 'currentPassword', label: 'Current password', type: 'password', error: we.currentPassword, autocomplete: 'current-password' }) : ''}
${field({ name: 'newPassword', label: 'New password', type: 'password', error: we.newPassword, autocomplete: 'new-password', hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better.` })}
${field({ name: 'newPasswordConfirmation', label: 'Repeat the new password', type: 'password', error: we.newPasswordConfirmation, autocomplete: 'new-password' })}
<button type="submit">Change password</button></form>

<h2 id="two-step">Two-step verification</h2>
${s.totpError ? html`<p class="error-box" role="alert">${s.totpError}</p>` : ''}
${u.totpEnabled
  ? html`<p>On. Sign-in asks for a code from your authenticator app.</p>
<form method="post" action="/account/totp/disable" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'code', label: 'Current code or recovery code', autocomplete: 'one-time-code' })}<button type="submit" style="background:#cf222e">Turn off</button></form>`
  : html`<p>Off. Add an authenticator app so a stolen password is not enough to sign in.</p>
<form method="post" action="/account/totp/start">${csrfField(s.csrfToken)}<button type="submit">Set up an authenticator app</button></form>`}
${passkeySection({ csrfToken: s.csrfToken, passkeys: s.passkeys, policy: s.passkeyPolicy, error: s.passkeyError })}
${sessionsSection(s)}`,
  );
}

export function totpSetupPage(s: { csrfToken: string; qrSvg: SafeHtml; secret: string; error?: string }): string {
  return page(
    'Set up two-step verification',
    html`<h1>Set up two-step verification</h1>
<p>Scan this code with an authenticator app, then enter the 6-digit code it shows.</p>
<div style="max-width:220px">${s.qrSvg}</div>
<p class="hint">Or type this secret: <code>${s.secret}</code></p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/account/totp/confirm" novalidate>${csrfField(s.csrfToken)}
${field({ name: 'code', label: 'Code from the app', autocomplete: 'one-time-code' })}<button type="submit">Turn on</button></form>
<p><a href="/account">Cancel</a></p>`,
  );
}

export function recoveryCodesShownPage(s: { codes: string[] }): string {
  return page(
    'Recovery codes',
    html`<h1>Two-step verification is on</h1>
<p>Save these recovery codes somewhere safe. Each signs you in once if you lose your authenticator; they are shown only now.</p>
<pre style="font-size:1.1rem">${s.codes.join('\n')}</pre>
<p><a href="/account">Back to your account</a></p>`,
  );
}
