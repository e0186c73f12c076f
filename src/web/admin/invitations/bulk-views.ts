// Bulk invitations from CSV: the upload form with the template, the review
// (per-row validation and counts) with "Send all", and the per-row outcome. Long files
// show every row with a problem and the first rows that are fine, so a 10,000-row page
// stays readable; the counts cover every row.
import { html, type SafeHtml } from '../../../html.js';
import type { BulkOutcome, BulkOutcomeStatus, BulkReview, BulkReviewRow, BulkRowStatus } from '../../../invitations/invitation-bulk.js';
import { CSV_HEADER, CSV_MAX_ROWS } from '../../../invitations/invitation-csv.js';
import { textarea } from '../../form-controls.js';
import { csrfField } from '../../layout.js';
import { batchSummary, HERE, INVITATIONS_STYLE, outcomeDetails } from './invitation-format.js';

/** Rows without a problem listed in full up to this many. */
export const FINE_ROWS_SHOWN = 500;

const ROW_LABELS: Record<BulkRowStatus, string> = {
  ready: 'Ready',
  invalid_address: 'Invalid address',
  unknown_role: 'Unknown role',
  role_not_allowed: 'Role not allowed',
  invalid: 'Invalid value',
  duplicate: 'Duplicate in file',
  already_has_account: 'Already has an account',
  over_seat_limit: 'Over the seat limit',
};

const OUTCOME_LABELS: Record<BulkOutcomeStatus, string> = {
  sent: 'Sent',
  seat_limit_reached: 'Seat limit reached',
  failed: 'Failed',
  invalid_address: 'Invalid address',
  unknown_role: 'Unknown role',
  role_not_allowed: 'Role not allowed',
  invalid: 'Invalid value',
  duplicate: 'Duplicate in file',
  already_has_account: 'Already has an account',
};

export function uploadBody(s: { csrfToken: string; error?: string }): SafeHtml {
  return html`${INVITATIONS_STYLE}<h1>Invite many from a CSV file</h1>
<p><a href="${HERE}">← Invitations</a> · <a href="${HERE}/new">Invite a few people</a></p>
${s.error ? html`<p class="error-box" role="alert" id="upload-error">${s.error}</p>` : ''}
<ol><li><a href="${HERE}/bulk/template.csv" id="template">Download the template</a>: the columns are <code>${CSV_HEADER.join(', ')}</code>.
Email and role are required; several roles go in one cell separated by <code>;</code>. Kind is <code>user</code> (the default) or <code>requester</code>.</li>
<li>Fill it in and save it as CSV (UTF-8). Up to ${CSV_MAX_ROWS.toLocaleString('en')} rows.</li>
<li>Upload it: you see every row checked before anything is sent.</li></ol>
<form method="post" action="${HERE}/bulk" enctype="multipart/form-data">${csrfField(s.csrfToken)}
<label for="f-file">CSV file</label><input type="file" id="f-file" name="file" accept=".csv,text/csv">
<button type="submit">Upload and review</button></form>`;
}

function counts(items: Array<[string, number, string]>): SafeHtml {
  return html`<div class="counts">${items.map(([label, n, id]) => html`<div id="${id}"><strong>${n.toLocaleString('en')}</strong>${label}</div>`)}</div>`;
}

function reviewTable(rows: BulkReviewRow[], id: string): SafeHtml {
  return html`<table id="${id}"><thead><tr><th>Line</th><th>Email</th><th>Roles</th><th>Name</th><th>Kind</th><th>Check</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-line="${r.line}" data-status="${r.status}"><td>${r.line}</td><td>${r.email}</td><td>${r.roleNames.join(', ')}</td>
<td>${[r.givenName, r.familyName].filter(Boolean).join(' ')}</td><td>${r.kind}</td>
<td class="${r.status === 'ready' ? 'outcome-ok' : 'outcome-problem'}">${ROW_LABELS[r.status]}${r.problems.length ? html`<br><span class="muted">${r.problems.join(' ')}</span>` : ''}</td></tr>`)}
</tbody></table>`;
}

export function reviewBody(s: { csrfToken: string; review: BulkReview; fileName: string; message?: string; messageError?: string }): SafeHtml {
  const { review } = s;
  const problems = review.rows.filter((r) => r.status !== 'ready');
  const fine = review.rows.filter((r) => r.status === 'ready');
  return html`${INVITATIONS_STYLE}<h1>Review ${s.fileName}</h1>
<p><a href="${HERE}/bulk">← Upload another file</a></p>
${counts([['rows', review.counts.total, 'count-total'], ['ready to send', review.counts.ready, 'count-ready'], ['with problems (not sent)', review.counts.withProblems, 'count-problems']])}
${review.counts.ready > 0
  ? html`<form method="post" action="${HERE}/bulk/${review.batchId}/send" id="send-all">${csrfField(s.csrfToken)}
<input type="hidden" name="fileName" value="${s.fileName}">
${textarea({ name: 'message', label: 'Personal message for every invitation (optional)', value: s.message, error: s.messageError, rows: 2 })}
<p class="hint">Rows with problems are skipped. Accounts and seats are checked again as the invitations are sent.</p>
<button type="submit">Send all ${review.counts.ready.toLocaleString('en')} invitations</button></form>`
  : html`<p class="error-box" role="alert">No row can be sent. Fix the file and upload it again.</p>`}
${problems.length ? html`<h2>Rows with problems</h2>${reviewTable(problems, 'problem-rows')}` : ''}
${fine.length ? html`<h2>Ready to send</h2>${reviewTable(fine.slice(0, FINE_ROWS_SHOWN), 'ready-rows')}${fine.length > FINE_ROWS_SHOWN ? html`<p class="muted">… and ${(fine.length - FINE_ROWS_SHOWN).toLocaleString('en')} more rows ready to send.</p>` : ''}` : ''}`;
}

/** "Send all" refused its message: the send form again, the message beside its error. */
export function sendAgainBody(s: { csrfToken: string; batchId: string; fileName: string; message: string; messageError: string }): SafeHtml {
  return html`${INVITATIONS_STYLE}<h1>Send the invitations from ${s.fileName}</h1>
<p class="error-box" role="alert">Nothing was sent: see the message below.</p>
<form method="post" action="${HERE}/bulk/${s.batchId}/send" id="send-all">${csrfField(s.csrfToken)}
<input type="hidden" name="fileName" value="${s.fileName}">
${textarea({ name: 'message', label: 'Personal message for every invitation (optional)', value: s.message, error: s.messageError, rows: 2 })}
<button type="submit">Send all</button></form>`;
}

function outcomeTable(rows: BulkOutcome[], id: string): SafeHtml {
  return html`<table id="${id}"><thead><tr><th>Line</th><th>Email</th><th>Outcome</th><th>Details</th></tr></thead><tbody>
${rows.map((o) => html`<tr data-line="${o.line}" data-status="${o.status}"><td>${o.line}</td><td>${o.email}</td>
<td class="${o.status === 'sent' ? 'outcome-ok' : 'outcome-problem'}">${OUTCOME_LABELS[o.status]}</td><td>${o.status === 'sent' ? o.message : outcomeDetails(OUTCOME_LABELS[o.status], o.status, o.message)}</td></tr>`)}
</tbody></table>`;
}

export function sentBody(s: { fileName: string; outcomes: BulkOutcome[]; counts: Record<BulkOutcomeStatus, number> }): SafeHtml {
  const sent = s.outcomes.filter((o) => o.status === 'sent');
  const notSent = s.outcomes.filter((o) => o.status !== 'sent');
  return html`${INVITATIONS_STYLE}<h1>Invitations from ${s.fileName}</h1>
${batchSummary(`${sent.length.toLocaleString('en')} of ${s.outcomes.length.toLocaleString('en')} invitations sent.`, sent.length, s.outcomes.length)}
${counts((Object.keys(OUTCOME_LABELS) as BulkOutcomeStatus[]).filter((k) => s.counts[k] > 0).map((k) => [OUTCOME_LABELS[k].toLowerCase(), s.counts[k], `count-${k}`]))}
${notSent.length ? html`<h2>Not sent</h2>${outcomeTable(notSent, 'not-sent')}` : ''}
${sent.length ? html`<h2>Sent</h2>${outcomeTable(sent.slice(0, FINE_ROWS_SHOWN), 'sent')}${sent.length > FINE_ROWS_SHOWN ? html`<p class="muted">… and ${(sent.length - FINE_ROWS_SHOWN).toLocaleString('en')} more sent.</p>` : ''}` : ''}
<p><a href="${HERE}">Invitations</a> · <a href="${HERE}/bulk">Upload another file</a></p>`;
}
