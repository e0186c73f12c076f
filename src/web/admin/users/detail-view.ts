// One account's page: profile, roles, status, the history of status and role changes,
// recent audit events (audit.view), and only the actions its status allows and the
// viewer's permissions permit (src/users/user-actions.ts).
import { html, type SafeHtml } from '../../../html.js';
import type { AuditEventView } from '../../../audit/audit-service.js';
import type { FieldErrors } from '../../../errors.js';
import type { RoleOption } from '../../../users/role-choices.js';
import type { UserActions } from '../../../users/user-actions.js';
import type { UserView } from '../../../users/user-presenter.js';
import type { PasskeyView } from '../../../passkeys/passkey-service.js';
import { checkboxes, textarea } from '../../form-controls.js';
import { csrfField, field } from '../../layout.js';
import { genderOptions, profileFields, type AddUserValues } from './add-view.js';
import { accessEndSection, accessEndSummary, reactivationDateFields } from './access-end-view.js';
import { day, KIND_LABELS, moment, NO_EMAIL, statusBadge, USERS_STYLE } from './user-format.js';
import { timeHtml } from '../../time-format.js';

/** The forms of the page, each posting to /admin/users/:id/<form>. */
export type DetailForm = 'access-end' | 'profile' | 'roles' | 'deactivate' | 'reactivate' | 'reactivation-link' | 'confirm' | 'confirmation' | 'delete' | 'transfer-ownership' | 'second-factor' | 'sign-out-everywhere';

export type ProfileValues = Pick<AddUserValues, 'givenName' | 'familyName' | 'username' | 'email' | 'countryCode' | 'phone' | 'gender' | 'birthdate' | 'department' | 'title' | 'kind'>;

export interface UserDetailState {
  csrfToken: string;
  user: UserView;
  isOwner: boolean;
  actions: UserActions;
  /** Roles the change-roles form offers: those the viewer may give, and those the user holds. */
  roleOptions: RoleOption[];
  lifecycle: AuditEventView[];
  /** Null without audit.view. */
  events: AuditEventView[] | null;
  notice?: string;
  /** The account holds permissions the viewer does not: say why actions are missing. */
  outranksViewer?: boolean;
  /** Why the account cannot sign in yet (no address, no credential), when it cannot. */
  signInWarning?: string | null;
  /** The form that was refused, its messages and the values sent. */
  refused?: { form: DetailForm; errors: FieldErrors; values?: Record<string, unknown> };
  /** The permissions of each role held, for the summary. */
  rolePermissions?: Record<string, string[]>;
  /** The account's passkeys, each removable by a viewer who may change its second factor. */
  passkeys?: PasskeyView[];
  /** The organization's time zone: end dates are shown and entered in it. */
  timeZone?: string;
  /** The account's end date has passed: reactivating it asks for a new one or none. */
  accessEnded?: boolean;
}

const ACTION_TITLES: Array<[DetailForm, string]> = [
  ['profile', 'Edit'],
  ['roles', 'Change roles'],
  ['access-end', 'Access end date'],
  ['deactivate', 'Deactivate'],
  ['reactivate', 'Reactivate'],
  ['reactivation-link', 'Send a reactivation link'],
  ['confirm', 'Confirm manually'],
  ['confirmation', 'Resend confirmation'],
  ['sign-out-everywhere', 'Sign out everywhere'],
  ['second-factor', 'Reset two-step verification'],
  ['transfer-ownership', 'Transfer ownership'],
  ['delete', 'Delete'],
];

/** Status, roles with their permissions, seat pool, last activity and second factor at a glance. */
function summary(s: UserDetailState): SafeHtml {
  const u = s.user;
  const perms = s.rolePermissions ?? {};
  return html`<section class="card summary" id="summary"><dl class="profile">
<dt>Status</dt><dd>${statusBadge(u.status)}</dd>
<dt>Roles</dt><dd>${u.roles.length
    ? html`<ul class="role-permissions">${u.roles.map((r) => html`<li><strong>${r.name}</strong>${perms[r.id]?.length ? html`: <span class="muted">${perms[r.id]!.join(', ')}</span>` : ''}</li>`)}</ul>`
    : html`<span class="muted">none</span>`}</dd>
<dt>Seat pool</dt><dd>${KIND_LABELS[u.kind] ?? u.kind}</dd>
${accessEndSummary(u, s.timeZone ?? 'UTC')}
<dt>Last activity</dt><dd>${u.lastSignInAt ? timeHtml(u.lastSignInAt, s.timeZone ?? 'UTC') : 'never'}</dd>
<dt>Two-step verification</dt><dd>${u.totpEnabled ? 'On' : 'Off'}</dd>
<dt>Passkeys</dt><dd>${passkeyList(s)}</dd>
</dl></section>`;
}

/**
 * A lost or stolen passkey is removed here: the same power as resetting the second factor
 * (users.manage and the dominance rule over someone else's active account), and the same
 * consequence (signed out everywhere, the verified address told).
 */
function passkeyList(s: UserDetailState): SafeHtml {
  const list = s.passkeys ?? [];
  if (!list.length) return html`<span class="muted">none</span>`;
  const removable = s.actions.signOutEverywhere;
  return html`<ul id="user-passkeys">${list.map((p) => html`<li>${p.name} <span class="muted">(last used ${p.lastUsedAt ? moment(p.lastUsedAt) : 'never'})</span>${removable
    ? html` <form method="post" action="/admin/users/${s.user.id}/passkeys/${p.id}/remove" style="display:inline">${csrfField(s.csrfToken)}<button type="submit" class="button-secondary" style="margin-top:0">Remove</button></form>`
    : ''}</li>`)}</ul>`;
}

/** The actions the page offers, in one menu; each opens its form below in place (a link to it: no script needed). */
function actionMenu(s: UserDetailState): SafeHtml {
  const offered = ACTION_TITLES.filter(([form]) => s.actions[FORM_ACTION[form]]);
  if (!offered.length) return html``;
  return html`<details class="menu" id="actions-menu"><summary>Actions</summary><ul>${offered.map(([form, title]) => html`<li><a href="#${form}">${title}</a></li>`)}</ul></details>`;
}

export function profileValuesOf(u: UserView): ProfileValues {
  return {
    givenName: u.givenName ?? '',
    familyName: u.familyName ?? '',
    username: u.username,
    email: u.email ?? '',
    countryCode: '',
    phone: u.phone ?? '',
    gender: u.gender ?? '',
    birthdate: u.birthdate ?? '',
    department: u.department ?? '',
    title: u.title ?? '',
    kind: u.kind,
  };
}

const ACTION_LABELS: Record<string, string> = {
  'user.created': 'Created',
  'user.confirmed': 'Confirmed',
  'user.deactivated': 'Deactivated',
  'user.reactivated': 'Reactivated',
  'user.access_end_changed': 'Access end date changed',
  'user.reactivation_link_sent': 'Reactivation link sent',
  'user.roles_changed': 'Roles changed',
  'user.kind_changed': 'Kind changed',
  'owner.transferred': 'Became the owner',
};

function list(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : '';
}

/** What changed, in words, from an event's details. */
function describe(e: AuditEventView): string {
  const d = e.details;
  const parts: string[] = [];
  switch (e.action) {
    case 'user.created':
      parts.push(`as ${String(d.status ?? 'active')} (${String(d.source ?? 'admin')})`);
      if (list(d.roles)) parts.push(`roles: ${list(d.roles)}`);
      break;
    case 'user.roles_changed':
      if (list(d.added)) parts.push(`added ${list(d.added)}`);
      if (list(d.removed)) parts.push(`removed ${list(d.removed)}`);
      break;
    case 'user.kind_changed':
      parts.push(`${String(d.from)} → ${String(d.to)}`);
      break;
    case 'owner.transferred':
      parts.push(`from ${String(d.from)}`);
      break;
    case 'user.reactivation_link_sent':
      if (d.expiresAt) parts.push(`valid until ${String(d.expiresAt).slice(0, 16).replace('T', ' ')} UTC`);
      break;
  }
  if (typeof d.reason === 'string' && d.reason) parts.push(`reason: ${d.reason}`);
  return parts.join('; ');
}

function profile(s: UserDetailState): SafeHtml {
  const u = s.user;
  const row = (label: string, value: SafeHtml | string | null) => html`<dt>${label}</dt><dd>${value === null || value === '' ? html`<span class="muted">—</span>` : value}</dd>`;
  return html`<dl class="profile">
${row('Username', u.username)}
${row('Email', u.email ? html`${u.email} ${u.emailVerified ? html`<span class="muted">(verified)</span>` : html`<span class="muted">(not verified)</span>`}` : NO_EMAIL)}
${row('Phone', u.phone)}${row('Department', u.department)}${row('Title', u.title)}
${row('Kind', KIND_LABELS[u.kind] ?? u.kind)}${row('Gender', u.gender)}${row('Birthday', u.birthdate)}
${row('Source', u.source)}
${row('External ids', u.externalIds.length ? html`${u.externalIds.map((x, i) => html`${i ? html`<br>` : ''}<code>${x.value}</code> <span class="muted">(${x.connection})</span>`)}` : null)}
${row('Registration date', day(u.createdAt))}${row('Last activity', u.lastSignInAt ? timeHtml(u.lastSignInAt, s.timeZone ?? 'UTC') : 'never')}
${u.status === 'inactive' ? html`${row('Deactivated', timeHtml(u.deactivatedAt, s.timeZone ?? 'UTC'))}${row('Reason', u.deactivationReason)}` : ''}
${row('Two-step verification', u.totpEnabled ? 'on' : 'off')}
</dl>`;
}

function errorsFor(s: UserDetailState, form: DetailForm): FieldErrors {
  return s.refused?.form === form ? s.refused.errors : {};
}

function valueOf(s: UserDetailState, form: DetailForm, name: string): string {
  const v = s.refused?.form === form ? s.refused.values?.[name] : undefined;
  return typeof v === 'string' ? v : '';
}

function formError(s: UserDetailState, form: DetailForm): SafeHtml {
  const message = errorsFor(s, form)._form;
  return message ? html`<p class="error-box" role="alert">${message}</p>` : html``;
}

function action(s: UserDetailState, form: DetailForm, title: string, body: SafeHtml, button: string, danger = false): SafeHtml {
  return html`<section class="action" id="${form}"><h2>${title}</h2>${formError(s, form)}
<form method="post" action="/admin/users/${s.user.id}/${form}" novalidate>${csrfField(s.csrfToken)}${body}
<button type="submit" class="${danger ? 'danger' : ''}">${button}</button></form></section>`;
}

function actions(s: UserDetailState): SafeHtml {
  const u = s.user;
  const a = s.actions;
  const out: SafeHtml[] = [];
  if (s.outranksViewer) {
    out.push(html`<p class="notice" role="note">${u.username} holds permissions you do not, so only someone holding all of them can change this account's email, username, seat pool, roles or credentials, reactivate or delete it. You can still deactivate it; the owner is then told.</p>`);
  }
  if (a.edit) {
    const e = errorsFor(s, 'profile');
    const values = s.refused?.form === 'profile' ? (s.refused.values as ProfileValues) : profileValuesOf(u);
    out.push(action(s, 'profile', 'Edit profile', profileFields(values, e, genderOptions(u.gender)), 'Save profile'));
  }
  if (a.changeRoles) {
    const refused = s.refused?.form === 'roles';
    const checked = refused ? ((s.refused!.values?.roles as string[]) ?? []) : u.roles.map((r) => r.id);
    const e = errorsFor(s, 'roles');
    const owner = u.roles.find((r) => r.builtin === 'owner');
    out.push(
      action(
        s,
        'roles',
        'Change roles',
        html`${owner ? html`<p class="hint">Owner: only the owner can hand this role on, by transferring ownership.</p><input type="hidden" name="roles" value="${owner.id}">` : ''}
${checkboxes({ name: 'roles', label: 'Roles', options: s.roleOptions.filter((r) => r.builtin !== 'owner').map((r) => ({ value: r.id, label: r.name })), checked, error: e.roles, hint: 'You can only give roles whose permissions you hold.' })}
${field({ name: 'reason', label: 'Reason (optional)', value: valueOf(s, 'roles', 'reason'), error: e.reason })}`,
        'Save roles',
      ),
    );
  }
  if (a.setAccessEnd) out.push(accessEndSection(dateForm(s, 'access-end')));
  if (a.deactivate) {
    const e = errorsFor(s, 'deactivate');
    out.push(
      action(
        s,
        'deactivate',
        'Deactivate',
        html`<p>They are signed out everywhere at once and cannot sign in; their data, roles and history are kept. The seat is freed.</p>
${textarea({ name: 'reason', label: 'Reason (optional)', value: valueOf(s, 'deactivate', 'reason'), error: e.reason, rows: 2 })}`,
        'Deactivate',
        true,
      ),
    );
  }
  const ended = !!s.accessEnded && u.status === 'inactive';
  if (a.reactivate) out.push(action(s, 'reactivate', 'Reactivate now', html`<p>Makes the account active at once; it takes a ${u.kind} seat.</p>${ended ? reactivationDateFields(dateForm(s, 'reactivate')) : ''}`, 'Reactivate now'));
  // A link cannot ask for a new end date: an account ended by its date comes back from here only.
  if (a.reactivateByLink && !ended) {
    out.push(
      action(
        s,
        'reactivation-link',
        'Reactivate by email',
        html`<p>Emails ${u.email} a link valid for 72 hours. The account becomes active — and takes its seat — only when they follow it.</p>`,
        'Send reactivation link',
      ),
    );
  }
  if (a.confirm) out.push(action(s, 'confirm', 'Confirm manually', html`<p>Confirms the account without the email link; the address stays unverified.</p>`, 'Confirm account'));
  if (a.resendConfirmation) out.push(action(s, 'confirmation', 'Resend confirmation', html`<p>Emails ${u.email} a new confirmation link (valid 24 hours); older links stop working.</p>`, 'Resend confirmation email'));
  if (a.signOutEverywhere) {
    out.push(
      action(
        s,
        'sign-out-everywhere',
        'Sign out everywhere',
        html`<p>Ends every session and application token of ${u.username} at once, for example after a suspected takeover or a lost device. The account stays active: they can sign in again with their credentials.</p>`,
        'Sign out everywhere',
        true,
      ),
    );
  }
  if (a.resetSecondFactor) {
    out.push(
      action(
        s,
        'second-factor',
        'Reset two-step verification',
        html`<p>Removes their authenticator app and recovery codes, for when they lost them. They are signed out everywhere, told by email, and set it up again after signing in with their password.</p>`,
        'Reset two-step verification',
        true,
      ),
    );
  }
  if (a.transferOwnership) {
    out.push(
      action(
        s,
        'transfer-ownership',
        'Transfer ownership',
        html`<p>${u.name} becomes the owner; you keep the Admin role. Only the owner can undo this.</p>`,
        `Make ${u.username} the owner`,
        true,
      ),
    );
  }
  if (a.delete) {
    const e = errorsFor(s, 'delete');
    out.push(
      action(
        s,
        'delete',
        'Delete',
        html`<p>Removes the account for good: they lose access at once; the audit log keeps its history.</p>
${field({ name: 'confirmUsername', label: `Type the username ${u.username} to confirm`, value: valueOf(s, 'delete', 'confirmUsername'), error: e.confirmUsername, autocomplete: 'off' })}`,
        'Delete user',
        true,
      ),
    );
  }
  // Each form stays closed until the menu opens it (its link targets the form's id) or it
  // comes back refused; without style sheets every form shows, as before.
  const refused = s.refused && formShown(s) ? html`<style>.action-forms>#${s.refused.form}{display:block}</style>` : '';
  return html`${refused}<div class="action-forms">${out}</div>`;
}

/** The end-date fields' state: the refused values and messages of `form`, else the account's. */
function dateForm(s: UserDetailState, form: DetailForm) {
  const typed = valueOf(s, form, 'accessEndsAt');
  return { user: s.user, csrfToken: s.csrfToken, timeZone: s.timeZone ?? 'UTC', errors: errorsFor(s, form), typed: s.refused?.form === form ? typed : undefined };
}

function detailsText(e: AuditEventView): string {
  return Object.keys(e.details).length ? JSON.stringify(e.details) : '';
}

function events(list: AuditEventView[], withAction: boolean): SafeHtml {
  if (list.length === 0) return html`<p class="muted">Nothing yet.</p>`;
  return html`<table><thead><tr><th>When</th>${withAction ? html`<th>Event</th>` : html`<th>Change</th>`}<th>By</th><th>Details</th></tr></thead><tbody>
${list.map(
  (e) => html`<tr><td>${moment(e.occurredAt)}</td><td>${withAction ? e.action : (ACTION_LABELS[e.action] ?? e.action)}</td><td>${e.actorLabel}${e.source !== 'admin' ? html` <span class="muted">(${e.source})</span>` : ''}</td>
<td>${withAction ? detailsText(e) : describe(e)}</td></tr>`,
)}</tbody></table>`;
}

export function userDetailBody(s: UserDetailState): SafeHtml {
  const u = s.user;
  return html`${USERS_STYLE}<p><a href="/admin/users">← Users</a></p>
<h1>${u.name} ${statusBadge(u.status)}${s.isOwner ? html` <span class="status">Owner</span>` : ''}</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${s.signInWarning ? html`<p class="notice" role="note" id="sign-in-warning">${s.signInWarning}</p>` : ''}
${s.refused && !formShown(s) ? html`<p class="error-box" role="alert">${Object.values(s.refused.errors).join(' ')}</p>` : ''}
${summary(s)}
${actionMenu(s)}
${profile(s)}
<h2>Roles</h2>
<p id="roles-held">${u.roles.length ? u.roles.map((r) => r.name).join(', ') : html`<span class="muted">none</span>`}</p>
${actions(s)}
<section class="action"><h2>Status and role history</h2>${events(s.lifecycle, false)}</section>
${s.events ? html`<section class="action"><h2>Recent audit events</h2>${events(s.events, true)}</section>` : ''}`;
}

/** Whether the refused form is on the page (else its messages go to the top). */
/** Which action each form performs (routes refuse a form whose action is not allowed). */
export const FORM_ACTION: Record<DetailForm, keyof UserActions> = {
  'access-end': 'setAccessEnd',
  profile: 'edit',
  roles: 'changeRoles',
  deactivate: 'deactivate',
  reactivate: 'reactivate',
  'reactivation-link': 'reactivateByLink',
  confirm: 'confirm',
  confirmation: 'resendConfirmation',
  delete: 'delete',
  'transfer-ownership': 'transferOwnership',
  'second-factor': 'resetSecondFactor',
  'sign-out-everywhere': 'signOutEverywhere',
};

function formShown(s: UserDetailState): boolean {
  const f = s.refused?.form;
  return !f || s.actions[FORM_ACTION[f]];
}
