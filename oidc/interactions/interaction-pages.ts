// Pages of the sign-in interaction: sign-in form, second factor, consent. Server-rendered,
// working without JavaScript.
import { html, type SafeHtml } from '../../src/html.js';
import { csrfField, field, page } from '../../src/web/layout.js';
import { passkeyForm } from '../../src/web/scripts/passkey-ceremony.js';
import { API_SCOPE_LABELS, isApiScope } from '../../src/clients/api-scopes.js';

export interface LoginPageState {
  uid: string;
  csrfToken: string;
  clientName: string;
  login?: string;
  error?: string;
  registrationOpen?: boolean;
  notice?: string;
  /** The organization's name (a setting), named above the form. */
  organizationName?: string;
  /** Upstream identity providers offered as buttons. */
  upstream?: Array<{ id: string; label: string }>;
}

export function loginPage(s: LoginPageState): string {
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
<p>to continue to <strong>${s.clientName}</strong></p>
${s.notice ? html`<p class="notice">${s.notice}</p>` : ''}
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/interaction/${s.uid}/login" novalidate>
${csrfField(s.csrfToken)}
${field({ name: 'login', label: 'Username or email', value: s.login, autocomplete: 'username', required: true })}
${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true })}
<button type="submit">Sign in</button>
</form>
${passkeyForm({ mode: 'authenticate', action: `/interaction/${s.uid}/passkey`, optionsUrl: `/interaction/${s.uid}/passkey/options`, csrfToken: s.csrfToken, label: 'Sign in with a passkey', id: 'passkey-sign-in' })}
${s.upstream?.length ? html`<p>Or sign in with</p>${s.upstream.map((u) => html`<p><a class="button" href="/interaction/${s.uid}/upstream/${u.id}">${u.label}</a></p>`)}` : ''}
<p><a href="/password/forgot">Forgot your password?</a></p>
${s.registrationOpen ? html`<p>New here? <a href="/register">Create an account</a></p>` : ''}
<p><a href="/interaction/${s.uid}/abort">Cancel</a></p>`,
    { organizationName: s.organizationName },
  );
}

export function totpPage(s: { uid: string; csrfToken: string; error?: string }): string {
  return page(
    'Two-step verification',
    html`<h1>Two-step verification</h1>
<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/interaction/${s.uid}/totp" novalidate>
${csrfField(s.csrfToken)}
${field({ name: 'code', label: 'Code', autocomplete: 'one-time-code', required: true })}
<button type="submit">Verify</button>
</form>
<p><a href="/interaction/${s.uid}/abort">Cancel</a></p>`,
  );
}

export function totpEnrolPage(s: { uid: string; csrfToken: string; qrSvg: SafeHtml; secret: string; error?: string }): string {
  return page(
    'Set up two-step verification',
    html`<h1>Set up two-step verification</h1>
<p>Your organization requires a second step at sign-in. Scan this code with an authenticator app, then enter the 6-digit code it shows.</p>
<div style="max-width:220px">${s.qrSvg}</div>
<p class="hint">Or type this secret: <code>${s.secret}</code></p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/interaction/${s.uid}/totp-enrol" novalidate>
${csrfField(s.csrfToken)}
${field({ name: 'code', label: 'Code from the app', autocomplete: 'one-time-code', required: true })}
<button type="submit">Turn on and continue</button>
</form>`,
  );
}

export function recoveryCodesPage(s: { continueUrl: string; codes: string[]; csrfToken: string }): string {
  return page(
    'Recovery codes',
    html`<h1>Save your recovery codes</h1>
<p>Each code signs you in once if you lose your authenticator. They are shown only now.</p>
<pre style="font-size:1.1rem">${s.codes.join('\n')}</pre>
<form method="post" action="${s.continueUrl}">${csrfField(s.csrfToken)}<button type="submit">I have saved them, continue</button></form>`,
  );
}

export function consentPage(s: { uid: string; csrfToken: string; clientName: string; scopes: string[]; claims?: string[]; apiScopes?: string[] }): string {
  const labels: Record<string, string> = {
    openid: 'Know who you are',
    email: 'See your email address',
    profile: 'See your name',
    phone: 'See your phone number',
    address: 'See your postal address',
    roles: 'See your roles and permissions',
    offline_access: 'Stay signed in when you are away',
  };
  const api = s.apiScopes ?? [];
  return page(
    'Allow access',
    html`<h1>Allow ${s.clientName}?</h1>
<p><strong>${s.clientName}</strong> asks to:</p>
<ul>${s.scopes.map((scope) => html`<li>${labels[scope] ?? scope}</li>`)}</ul>
${s.claims?.length ? html`<p>and to see these details of your account:</p><ul>${s.claims.map((claim) => html`<li><code>${claim}</code></li>`)}</ul>` : ''}
${api.length ? html`<h2>Act as you in Gatehouse</h2><p>It also asks to use the management API as you — never beyond what you may do yourself:</p>
<ul id="api-scopes">${api.map((scope) => html`<li>${isApiScope(scope) ? API_SCOPE_LABELS[scope] : scope} <code>${scope}</code></li>`)}</ul>` : ''}
<form method="post" action="/interaction/${s.uid}/confirm">${csrfField(s.csrfToken)}<button type="submit">Allow</button></form>
${api.length ? html`<form method="post" action="/interaction/${s.uid}/confirm-without-api">${csrfField(s.csrfToken)}<button type="submit" style="background:#6e7781">Sign in without management API access</button></form>` : ''}
<p><a href="/interaction/${s.uid}/abort">Deny</a></p>`,
  );
}

/** Before an upstream identity is first linked to an account holding permissions. */
export function upstreamLinkPage(s: { uid: string; csrfToken: string; providerLabel: string; email: string; error?: string }): string {
  return page(
    "Confirm it's you",
    html`<h1>Confirm it's you</h1>
<p>Confirm it's you: enter your Gatehouse password to link ${s.providerLabel} to your account (${s.email}). You are asked once; afterwards ${s.providerLabel} signs you in directly.</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/interaction/${s.uid}/upstream-link" novalidate>
${csrfField(s.csrfToken)}
${field({ name: 'password', label: 'Gatehouse password', type: 'password', autocomplete: 'current-password', required: true })}
<button type="submit">Link and continue</button>
</form>
<p><a href="/interaction/${s.uid}/abort">Cancel</a></p>`,
  );
}
