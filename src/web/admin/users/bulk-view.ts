// The users list's "ask first" page for an action on selected rows (or on one row from its
// menu), and the per-row report afterwards: done, or refused and why.
import { html, type SafeHtml } from '../../../html.js';
import { textarea } from '../../form-controls.js';
import { csrfField, tableWrap } from '../../layout.js';
import { linkOnce } from '../invitations/invitation-format.js';
import { ACTION_TITLES, rowRefText, type RowAction, type RowOutcome, type RowRef } from './row-operations.js';

const WHAT_IT_DOES: Record<RowAction, string> = {
  deactivate: 'They are signed out everywhere at once and cannot sign in; their data, roles and history are kept and their seats are freed.',
  delete: 'Accounts are removed for good and lose access at once; the audit log keeps their history. Invitations that are no longer pending are removed.',
  resend: 'Each invitation gets a new link and a fresh expiry (an expired one takes its seat again); the old link stops working. Unconfirmed accounts get a new confirmation email.',
  cancel: 'The invitation link stops working; the seat it held is freed.',
  reactivate: 'The account becomes active at once and takes a seat.',
  'reactivation-link': 'A link valid for 72 hours is emailed; the account becomes active when they follow it.',
  confirm: 'The account is confirmed without the email link; the address stays unverified.',
};

const DANGER: ReadonlySet<RowAction> = new Set(['deactivate', 'delete', 'cancel']);

function people(n: number): string {
  return `${n} ${n === 1 ? 'person' : 'people'}`;
}

export interface BulkConfirmState {
  csrfToken: string;
  action: RowAction;
  rows: Array<{ ref: RowRef; label: string }>;
  back: string;
}

export function bulkConfirmBody(s: BulkConfirmState): SafeHtml {
  const title = `${ACTION_TITLES[s.action]}: ${people(s.rows.length)}`;
  return html`<p><a href="${s.back}">← Users</a></p><h1>${title}?</h1>
<p>${WHAT_IT_DOES[s.action]} Each one is checked on its own; those that cannot be done are listed with the reason afterwards.</p>
<ul id="selected">${s.rows.map((r) => html`<li>${r.label}</li>`)}</ul>
<form method="post" action="/admin/users/bulk">${csrfField(s.csrfToken)}<input type="hidden" name="action" value="${s.action}"><input type="hidden" name="back" value="${s.back}">
${s.rows.map((r) => html`<input type="hidden" name="ids" value="${rowRefText(r.ref)}">`)}
${s.action === 'deactivate' ? textarea({ name: 'reason', label: 'Reason (optional)', rows: 2 }) : ''}
<div class="form-actions"><button type="submit" class="${DANGER.has(s.action) ? 'danger' : ''}">${ACTION_TITLES[s.action]} ${people(s.rows.length)}</button><a class="button secondary" href="${s.back}">Cancel</a></div></form>`;
}

export function bulkNothingBody(back: string, message: string): SafeHtml {
  return html`<p><a href="${back}">← Users</a></p><h1>Nothing to do</h1><p class="error-box" role="alert">${message}</p>`;
}

export function bulkReportBody(s: { action: RowAction; outcomes: RowOutcome[]; back: string }): SafeHtml {
  const done = s.outcomes.filter((o) => o.done).length;
  const refused = s.outcomes.length - done;
  return html`<p><a href="${s.back}">← Users</a></p><h1>${ACTION_TITLES[s.action]}: results</h1>
<p id="bulk-summary" role="status"><strong>${done} done</strong>, <strong>${refused} refused</strong>.</p>
${tableWrap('Results', html`<table id="bulk-results" class="stack"><thead><tr><th>Person</th><th>Result</th><th>Details</th></tr></thead><tbody>
${s.outcomes.map(
  (o, i) => html`<tr data-ref="${rowRefText(o.ref)}"><td data-label="Person">${o.label}</td><td data-label="Result">${o.done ? html`<span class="status status-active">Done</span>` : html`<span class="status status-expired">Refused</span>`}</td>
<td data-label="Details">${o.message}${o.link ? html`<br>${linkOnce(o.link, `link-${i}`)}` : ''}</td></tr>`,
)}</tbody></table>`)}
<p><a class="button secondary" href="${s.back}">Back to users</a></p>`;
}
