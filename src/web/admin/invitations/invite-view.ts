// The invite page: rows of one or many
// addresses, each with roles (the invitation default pre-selected), kind, optional names,
// delivery address and message, and the method — email, or a shareable link shown once.
// Then the result: one line per address, in input order.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { InviteOutcome, InviteOutcomeStatus } from '../../../invitations/invitation-service.js';
import type { RoleOption } from '../../../users/role-choices.js';
import { checkboxes, select, textarea } from '../../form-controls.js';
import { csrfField, field } from '../../layout.js';
import type { InviteRowValues } from './invite-form.js';
import { batchSummary, HERE, INVITATIONS_STYLE, KIND_OPTIONS, linkOnce, outcomeDetails } from './invitation-format.js';
import { timeHtml } from '../../time-format.js';

export interface InviteFormState {
  csrfToken: string;
  rows: InviteRowValues[];
  roles: RoleOption[];
  errors: FieldErrors;
  /** A refusal that belongs to no one field (a role the inviter may not give). */
  formError?: string;
  /** Set after "Add invite": the row to bring into view. */
  focusRow?: number;
}

function radio(name: string, value: string, label: string, checked: boolean): SafeHtml {
  const id = `f-${name}-${value}`;
  return html`<label for="${id}" style="font-weight:400;margin-top:4px"><input type="radio" id="${id}" name="${name}" value="${value}" ${checked ? html`checked` : ''}> ${label}</label>`;
}

function rowFields(s: InviteFormState, r: InviteRowValues, i: number): SafeHtml {
  const name = (f: string) => `rows.${i}.${f}`;
  const e = (f: string) => s.errors[name(f)];
  const methodError = e('method');
  return html`<fieldset class="invite-row" id="row-${i}"><legend>Invite ${i + 1}</legend>
${textarea({ name: name('addresses'), label: 'Email addresses', value: r.addresses, error: e('addresses'), rows: 3, hint: 'One or many, separated by ; , spaces or new lines.' })}
${s.roles.length
  ? checkboxes({ name: name('roles'), label: 'Roles', options: s.roles.map((o) => ({ value: o.id, label: o.name })), checked: r.roles, error: e('roles'), hint: 'Only roles whose permissions you hold yourself are offered.' })
  : html`<p class="hint">There are no roles you can give.</p>`}
${select({ name: name('kind'), label: 'Kind', options: KIND_OPTIONS, value: r.kind, error: e('kind'), hint: 'Which seat pool the account will count in.' })}
${field({ name: name('givenName'), label: 'First name (optional)', value: r.givenName, error: e('givenName'), autocomplete: 'off' })}
${field({ name: name('familyName'), label: 'Last name (optional)', value: r.familyName, error: e('familyName'), autocomplete: 'off' })}
${field({ name: name('deliveryEmail'), label: 'Send to another address (optional)', type: 'email', value: r.deliveryEmail, error: e('deliveryEmail'), autocomplete: 'off', hint: 'For example a personal email; the account still uses the address above. Names and another address apply to one person: one address per row.' })}
${field({ name: name('accessEndsAt'), label: 'Access ends (optional)', type: 'datetime-local', value: r.accessEndsAt, error: e('accessEndsAt'), hint: 'For temporary access such as an auditor: the account is deactivated then, and you are reminded before. In the organization\'s time zone.' })}
${textarea({ name: name('message'), label: 'Personal message (optional)', value: r.message, error: e('message'), rows: 2 })}
<fieldset style="border:0;padding:0;margin:12px 0 0"><legend style="font-weight:600">How to invite</legend>
${radio(name('method'), 'email', 'Send an invitation email', r.method === 'email')}
${radio(name('method'), 'link', 'Create a shareable link (shown once, to copy and send yourself)', r.method === 'link')}
${methodError ? html`<p class="field-error" id="f-${name('method')}-error">${methodError}</p>` : ''}</fieldset>
</fieldset>`;
}

export function inviteFormBody(s: InviteFormState): SafeHtml {
  const problems = Object.keys(s.errors).length > 0;
  return html`${INVITATIONS_STYLE}<h1>Invite people</h1>
<p><a href="${HERE}">← Invitations</a> · <a href="${HERE}/bulk">Invite many from a CSV file</a></p>
${s.formError ? html`<p class="error-box" role="alert">${s.formError}</p>` : problems ? html`<p class="error-box" role="alert">Nothing was sent: see the messages below.</p>` : ''}
<form method="post" action="${HERE}/new${s.focusRow !== undefined ? `#row-${s.focusRow}` : ''}" novalidate>${csrfField(s.csrfToken)}
${s.rows.map((r, i) => rowFields(s, r, i))}
<p class="hint">Rows left empty are skipped.</p>
<button type="submit" name="action" value="add" class="secondary">Add invite</button>
<button type="submit" name="action" value="send" id="send-invitations">Send invitations</button>
</form>`;
}

const OUTCOME_LABELS: Record<InviteOutcomeStatus, string> = {
  sent: 'Sent',
  link_created: 'Link created',
  already_has_account: 'Already has an account',
  invalid_address: 'Invalid address',
  duplicate: 'Duplicate',
  seat_limit_reached: 'Seat limit reached',
  failed: 'Failed',
};

export function inviteResultBody(s: { outcomes: InviteOutcome[]; formRow: number[]; timeZone: string }): SafeHtml {
  const ok = s.outcomes.filter((o) => o.status === 'sent' || o.status === 'link_created').length;
  const links = s.outcomes.some((o) => o.link);
  return html`${INVITATIONS_STYLE}<h1>Invitations</h1>
${batchSummary(`${ok} of ${s.outcomes.length} ${s.outcomes.length === 1 ? 'address' : 'addresses'} invited.`, ok, s.outcomes.length)}
${links ? html`<p class="warning" role="status">Copy each shareable link now and send it yourself: it is shown only on this page and cannot be shown again. To get a new one, use Resend on the invitations page.</p>` : ''}
<table id="outcomes"><thead><tr><th>Row</th><th>Address</th><th>Outcome</th><th>Details</th></tr></thead><tbody>
${s.outcomes.map((o, n) => {
  const good = o.status === 'sent' || o.status === 'link_created';
  return html`<tr data-status="${o.status}"><td>${(s.formRow[o.row] ?? o.row) + 1}</td><td>${o.address}</td>
<td class="${good ? 'outcome-ok' : 'outcome-problem'}">${OUTCOME_LABELS[o.status]}</td>
<td>${good ? o.message : outcomeDetails(OUTCOME_LABELS[o.status], o.status, o.message)}${o.link ? html`<br>${linkOnce(o.link, `link-${n}`)}` : ''}${o.expiresAt ? html`<br><span class="muted">Expires ${timeHtml(o.expiresAt, s.timeZone)}</span>` : ''}</td></tr>`;
})}
</tbody></table>
<p><a href="${HERE}/new">Invite more people</a> · <a href="${HERE}">Invitations</a></p>`;
}
