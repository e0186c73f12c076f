// The pages behind the invitations list's actions: the edit form (while pending or
// expired), the confirmation before cancelling or deleting ("Confirm
// the cancellation"), and the new shareable link after a resend, shown once.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { InvitationView } from '../../../invitations/invitation-presenter.js';
import type { Option } from '../../form-controls.js';
import { checkboxes, select } from '../../form-controls.js';
import { csrfField, field } from '../../layout.js';
import { timeHtml } from '../../time-format.js';
import { backField, HERE, INVITATIONS_STYLE, linkOnce, listUrl, statusBadge, KIND_OPTIONS, type ListQuery } from './invitation-format.js';

export interface EditValues {
  email: string;
  deliveryEmail: string;
  givenName: string;
  familyName: string;
  kind: string;
  roles: string[];
}

export function editValuesOf(i: InvitationView): EditValues {
  return { email: i.email, deliveryEmail: i.deliveryEmail ?? '', givenName: i.givenName ?? '', familyName: i.familyName ?? '', kind: i.kind, roles: i.roles.map((r) => r.id) };
}

export interface EditState {
  csrfToken: string;
  invitation: InvitationView;
  query: ListQuery;
  values: EditValues;
  errors: FieldErrors;
  /** Roles offered: those the editor may give, plus the ones the invitation already has. */
  roles: Option[];
  formError?: string;
}

export function editBody(s: EditState): SafeHtml {
  const v = s.values;
  const e = s.errors;
  const problems = Object.keys(e).length > 0;
  return html`${INVITATIONS_STYLE}<h1>Edit the invitation to ${s.invitation.email}</h1>
<p><a href="${listUrl(s.query)}">← Invitations</a> · ${statusBadge(s.invitation.status)}</p>
${s.formError ? html`<p class="error-box" role="alert">${s.formError}</p>` : problems ? html`<p class="error-box" role="alert">Nothing was saved: see the messages below.</p>` : ''}
<p class="hint">${s.invitation.status === 'pending'
  ? 'Changing the address sends the invitation again to the new address; the old link stops working.'
  : 'This invitation has expired: save your changes, then use Resend to send a new link.'}</p>
<form method="post" action="${HERE}/${s.invitation.id}/edit" novalidate>${csrfField(s.csrfToken)}${backField(s.query)}
${field({ name: 'email', label: 'Email', type: 'email', value: v.email, error: e.email, autocomplete: 'off', required: true })}
${field({ name: 'deliveryEmail', label: 'Send to another address (optional)', type: 'email', value: v.deliveryEmail, error: e.deliveryEmail, autocomplete: 'off' })}
${field({ name: 'givenName', label: 'First name (optional)', value: v.givenName, error: e.givenName, autocomplete: 'off' })}
${field({ name: 'familyName', label: 'Last name (optional)', value: v.familyName, error: e.familyName, autocomplete: 'off' })}
${checkboxes({ name: 'roles', label: 'Roles', options: s.roles, checked: v.roles, error: e.roles })}
${select({ name: 'kind', label: 'Kind', options: KIND_OPTIONS, value: v.kind, error: e.kind })}
<button type="submit">Save</button></form>`;
}

const CONFIRM = {
  cancel: {
    title: 'Cancel the invitation',
    explain: 'Its link stops working at once and its seat is released. You can invite the address again later.',
    button: 'Cancel invitation',
  },
  delete: {
    title: 'Delete the invitation',
    explain: 'The record is removed from the invitations list. The audit log keeps what happened.',
    button: 'Delete invitation',
  },
} as const;

export function confirmBody(s: { csrfToken: string; invitation: InvitationView; query: ListQuery; action: keyof typeof CONFIRM; timeZone: string }): SafeHtml {
  const c = CONFIRM[s.action];
  return html`${INVITATIONS_STYLE}<h1>${c.title} to ${s.invitation.email}?</h1>
<p>${statusBadge(s.invitation.status)} · roles ${s.invitation.roles.map((r) => r.name).join(', ')} · expires ${timeHtml(s.invitation.expiresAt, s.timeZone)}</p>
<p>${c.explain}</p>
<form method="post" action="${HERE}/${s.invitation.id}/${s.action}" id="confirm">${csrfField(s.csrfToken)}${backField(s.query)}
<button type="submit" class="danger">${c.button}</button> <a href="${listUrl(s.query)}">Keep it</a></form>`;
}

/** After a resend or an edit of a shareable-link invitation: the new link, once. */
export function newLinkBody(s: { invitation: InvitationView; link: string; query: ListQuery; why: string; timeZone: string }): SafeHtml {
  return html`${INVITATIONS_STYLE}<h1>New shareable link for ${s.invitation.email}</h1>
<p class="notice" role="status">${s.why} The old link no longer works. This one expires on ${timeHtml(s.invitation.expiresAt, s.timeZone)}.</p>
<p class="warning">Copy it now and send it yourself: it is shown only on this page and cannot be shown again.</p>
${linkOnce(s.link, 'new-link')}
<p><a href="${listUrl(s.query)}">Back to the invitations</a></p>`;
}
