// "Add user": the profile, kind and roles, then either
// the account now — typed or random password, confirmed, welcome email — or an
// invitation instead, optionally delivered to another address (a personal email).
// Every message sits beside its field and every value is kept on error.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import { PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../../../passwords/password-policy.js';
import type { RoleOption } from '../../../users/role-choices.js';
import type { UserView } from '../../../users/user-presenter.js';
import { checkbox, checkboxes, select, type Option } from '../../form-controls.js';
import { csrfField, field } from '../../layout.js';
import { KIND_LABELS, USERS_STYLE } from './user-format.js';

export interface AddUserValues {
  givenName: string;
  familyName: string;
  username: string;
  email: string;
  countryCode: string;
  phone: string;
  gender: string;
  birthdate: string;
  department: string;
  title: string;
  kind: string;
  roles: string[];
  mode: 'create' | 'invite';
  passwordMode: 'typed' | 'random';
  confirmed: boolean;
  sendWelcome: boolean;
  deliveryEmail: string;
  /** The access end date as typed (organization time zone), or empty. */
  accessEndsAt: string;
}

export const EMPTY_VALUES: AddUserValues = {
  givenName: '', familyName: '', username: '', email: '', countryCode: '', phone: '', gender: '', birthdate: '', department: '', title: '',
  kind: 'user', roles: [], mode: 'create', passwordMode: 'typed', confirmed: true, sendWelcome: true, deliveryEmail: '', accessEndsAt: '',
};

export const GENDERS: Option[] = [
  { value: '', label: 'Not given' },
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'non-binary', label: 'Non-binary' },
  { value: 'other', label: 'Other' },
];

/** The genders offered, plus a value a directory set that is not among them. */
export function genderOptions(current: string | null): Option[] {
  return current && !GENDERS.some((g) => g.value === current) ? [...GENDERS, { value: current, label: current }] : GENDERS;
}

export const KIND_OPTIONS: Option[] = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }));

export interface AddUserState {
  csrfToken: string;
  values: AddUserValues;
  errors: FieldErrors;
  /** A refusal that belongs to no one field (a full pool: a box that links to Seats). */
  formError?: string | SafeHtml;
  /** What was typed in the password fields, given back after a refusal so nothing is typed twice. */
  typedPassword?: { password: string; confirmation: string };
  roles: RoleOption[];
  canInvite: boolean;
}

function radio(name: string, value: string, label: string, checked: boolean, hint?: string): SafeHtml {
  const id = `f-${name}-${value}`;
  return html`<label for="${id}" class="choice"><input type="radio" id="${id}" name="${name}" value="${value}" ${checked ? html`checked` : ''}> ${label}</label>${hint ? html`<p class="hint">${hint}</p>` : ''}`;
}

/** The profile fields the add and edit forms share. */
export function profileFields(v: Pick<AddUserValues, 'givenName' | 'familyName' | 'username' | 'email' | 'countryCode' | 'phone' | 'gender' | 'birthdate' | 'department' | 'title' | 'kind'>, e: FieldErrors, genders: Option[] = GENDERS): SafeHtml {
  return html`<div class="form-grid">
<div>${field({ name: 'givenName', label: 'First name', value: v.givenName, error: e.givenName, autocomplete: 'off' })}</div>
<div>${field({ name: 'familyName', label: 'Last name', value: v.familyName, error: e.familyName, autocomplete: 'off' })}</div>
<div>${field({ name: 'email', label: 'Email', type: 'email', value: v.email, error: e.email, autocomplete: 'off', required: true })}</div>
<div>${field({ name: 'username', label: 'Username', value: v.username, error: e.username, autocomplete: 'off', hint: 'Letters, digits, periods, dashes and underscores; not starting or ending with a period; at least one letter. Case does not matter. Empty: the email address.' })}</div>
<div>${field({ name: 'countryCode', label: 'Phone country code', value: v.countryCode, error: e.countryCode, hint: 'For example 44 or +1. Leave empty if the number starts with +.' })}</div>
<div>${field({ name: 'phone', label: 'Phone number', type: 'tel', value: v.phone, error: e.phone })}</div>
<div>${select({ name: 'gender', label: 'Gender', value: v.gender, options: genders, error: e.gender })}</div>
<div>${field({ name: 'birthdate', label: 'Birthday', type: 'date', value: v.birthdate, error: e.birthdate })}</div>
<div>${field({ name: 'department', label: 'Department', value: v.department, error: e.department })}</div>
<div>${field({ name: 'title', label: 'Title', value: v.title, error: e.title })}</div>
<div>${select({ name: 'kind', label: 'Kind', value: v.kind, options: KIND_OPTIONS, error: e.kind, hint: 'Which seat pool the account counts in.' })}</div>
</div>`;
}

/**
 * Only the chosen method's section shows (CSS :has, no script needed); a browser without
 * :has shows both, and the server ignores the other section's fields.
 */
const METHOD_STYLE = html`<style>
form:has(#f-mode-invite:checked) #create-options,form:has(#f-mode-create:checked) #invite-options{display:none}
</style>`;

export function addUserBody(s: AddUserState): SafeHtml {
  const v = s.values;
  const e = s.errors;
  const problems = Object.keys(e).length > 0 || !!s.formError;
  return html`${USERS_STYLE}${METHOD_STYLE}<p><a href="/admin/users">← Users</a></p><h1>Add user</h1>
${typeof s.formError === 'string' ? html`<p class="error-box" role="alert">${s.formError}</p>` : s.formError ? s.formError : problems ? html`<p class="error-box" role="alert">Nothing was saved: see the messages below.</p>` : ''}
<form method="post" action="/admin/users/new" novalidate>${csrfField(s.csrfToken)}
<h2>Profile</h2>
${profileFields(v, e)}
${s.roles.length
  ? checkboxes({ name: 'roles', label: 'Roles', options: s.roles.map((r) => ({ value: r.id, label: r.name })), checked: v.roles, error: e.roles, hint: 'Only roles whose permissions you hold yourself are offered.' })
  : html`<h2>Roles</h2><p class="hint">There are no roles you can give.</p>`}
<h2>Access</h2>
${field({ name: 'accessEndsAt', label: 'Access ends (optional)', type: 'datetime-local', value: v.accessEndsAt, error: e.accessEndsAt, hint: "For temporary access such as an auditor: the account is deactivated then, and you are reminded before. In the organization's time zone." })}
${s.canInvite
  ? html`<fieldset class="plain"><legend>How do they get access?</legend>
${radio('mode', 'create', 'Create the account now', v.mode === 'create')}
${radio('mode', 'invite', 'Send an invitation instead', v.mode === 'invite', 'They choose their own password. Username, phone and the other profile fields are not used; names, roles and kind are.')}</fieldset>`
  : html`<input type="hidden" name="mode" value="create">`}
<section id="create-options"><h3>Password</h3>
${radio('passwordMode', 'typed', 'Type a password', v.passwordMode === 'typed')}
${field({ name: 'password', label: 'Password', type: 'password', value: s.typedPassword?.password, keepPassword: !!s.typedPassword, error: e.password, autocomplete: 'new-password', hint: `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is better.` })}
${field({ name: 'passwordConfirmation', label: 'Repeat the password', type: 'password', value: s.typedPassword?.confirmation, keepPassword: !!s.typedPassword, error: e.passwordConfirmation, autocomplete: 'new-password' })}
${radio('passwordMode', 'random', 'Generate a random password', v.passwordMode === 'random', 'Shown to you once, on the next page, to hand over separately.')}
${checkbox({ name: 'confirmed', label: 'Confirmed', checked: v.confirmed, hint: 'Unchecked: the account is unconfirmed until they follow the link we email them.' })}
${checkbox({ name: 'sendWelcome', label: 'Send welcome email', checked: v.sendWelcome, hint: 'A link to sign in; never the password.' })}</section>
${s.canInvite
  ? html`<section id="invite-options"><h3>Invitation</h3>
${field({ name: 'deliveryEmail', label: 'Send the invitation to another address (optional)', type: 'email', value: v.deliveryEmail, error: e.deliveryEmail, hint: 'For example a personal email; the account still uses the email above.' })}</section>`
  : ''}
<div class="form-actions"><button type="submit">Add user</button><a class="button secondary" href="/admin/users">Cancel</a></div></form>`;
}

export function addedBody(s: { user: UserView; generatedPassword: string | null; confirmationSent: boolean; welcomeSent: boolean }): SafeHtml {
  return html`${USERS_STYLE}<h1>User added</h1>
<p class="notice" role="status">${s.user.name} (<strong>${s.user.username}</strong>) was added${s.user.status === 'unconfirmed' ? ' as unconfirmed' : ''}.</p>
${s.generatedPassword
  ? html`<p>Their password, shown only now — copy it and hand it over separately:</p><p><code id="generated-password" style="font-size:1.25rem">${s.generatedPassword}</code></p>`
  : ''}
<ul>${s.confirmationSent ? html`<li>We emailed ${s.user.email} a link to confirm the address; until then they cannot sign in.</li>` : ''}
${s.welcomeSent ? html`<li>We emailed ${s.user.email} a welcome message with a link to sign in.</li>` : ''}</ul>
<p><a href="/admin/users/${s.user.id}">Open ${s.user.name}'s page</a> · <a href="/admin/users/new">Add another user</a> · <a href="/admin/users">Users</a></p>`;
}

export function invitedBody(s: { email: string; deliveredTo: string; expiresAt: Date | undefined }): SafeHtml {
  return html`${USERS_STYLE}<h1>Invitation sent</h1>
<p class="notice" role="status">We sent an invitation for ${s.email} to ${s.deliveredTo}${s.expiresAt ? html`; it expires on ${s.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}.</p>
<p>They appear in the users list as Pending until they accept.</p>
<p><a href="/admin/invitations">Invitations</a> · <a href="/admin/users/new">Add another user</a> · <a href="/admin/users">Users</a></p>`;
}
