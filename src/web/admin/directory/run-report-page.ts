// The report of one LDAP sync or CSV import: status, progress while it runs (the page
// refreshes itself every few seconds without JavaScript), the counters, warnings, and the
// rows that were created, updated, deactivated, blocked by seats or failed, page by page.
import { tableWrap } from '../../layout.js';
import { html, type SafeHtml } from '../../../html.js';
import type { RowView, RunView } from '../../../directory/sync-report.js';
import { timeHtml } from '../../time-format.js';
import { KIND_LABELS } from '../users/user-format.js';

export const REFRESH_SECONDS = 2;
export const ROWS_PER_PAGE = 100;

const OUTCOME_LABELS: Record<string, string> = {
  created: 'Created',
  updated: 'Updated',
  reactivated: 'Reactivated',
  deactivated: 'Deactivated',
  unchanged: 'Unchanged',
  blocked: 'Blocked by seats',
  failed: 'Failed',
  invalid: 'Invalid',
  create: 'Will be created',
  update: 'Will be updated',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome;
}

export function runTitle(run: RunView): string {
  return run.kind === 'ldap' ? 'LDAP sync' : `CSV import${run.fileName ? ` of ${run.fileName}` : ''}`;
}

const STATUS_TEXT: Record<string, string> = {
  previewed: 'previewed, not imported yet',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  interrupted: 'interrupted',
};

/** Counters as a table row set, for the report and the preview. */
export function counters(run: RunView, preview = false): SafeHtml {
  const cells: Array<[string, number]> = preview
    ? [['Will be created', run.created], ['Will be updated', run.updated], ['Blocked by seats', run.blocked], ['Invalid', run.invalid]]
    : [
        ['Created', run.created], ['Updated', run.updated], ['Reactivated', run.reactivated], ['Deactivated', run.deactivated],
        ['Unchanged', run.unchanged], ['Blocked by seats', run.blocked], ['Failed', run.failed], ...(run.kind === 'csv' ? ([['Invalid', run.invalid]] as Array<[string, number]>) : []),
      ];
  return html`<table class="counters"><tbody>${cells.map(([label, n]) => html`<tr><th>${label}</th><td>${n}</td></tr>`)}</tbody></table>`;
}

/** The seat pool a CSV row's account is in (the file's kind column, else the account's). */
function kindCell(r: RowView): SafeHtml {
  return r.kind ? html`${KIND_LABELS[r.kind] ?? r.kind}` : html`<span class="muted">—</span>`;
}

export function rowsTable(rows: RowView[], kind: RunView['kind']): SafeHtml {
  if (rows.length === 0) return html`<p>No rows to show.</p>`;
  const csv = kind === 'csv';
  return html`${tableWrap('Rows', html`<table><thead><tr><th>${csv ? 'Line' : 'Entry'}</th><th>Account</th>${csv ? html`<th>Kind</th>` : ''}<th>Outcome</th><th>Message</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.position > 0 ? String(r.position) : ''}</td><td>${r.label ?? ''}</td>${csv ? html`<td>${kindCell(r)}</td>` : ''}<td>${outcomeLabel(r.outcome)}</td><td>${r.message ?? ''}</td></tr>`)}
</tbody></table>`)}`;
}

export interface RunReportState {
  run: RunView;
  rows: RowView[];
  totalRows: number;
  page: number;
  problemsOnly: boolean;
  timeZone: string;
}

export function runReportBody(s: RunReportState): SafeHtml {
  const { run } = s;
  const running = run.status === 'running';
  const pages = Math.max(1, Math.ceil(s.totalRows / ROWS_PER_PAGE));
  const base = `/admin/directory/runs/${run.id}`;
  const query = (page: number) => `${base}?page=${page}${s.problemsOnly ? '&show=problems' : ''}`;
  return html`<h1>${runTitle(run)}</h1>
<p><a href="/admin/directory">← Directory</a></p>
<p>Status: <strong>${STATUS_TEXT[run.status] ?? run.status}</strong> · started by ${run.actorLabel}${run.trigger === 'schedule' ? ' (schedule)' : ''}${run.startedAt ? html` at ${timeHtml(run.startedAt, s.timeZone)}` : ''}${run.finishedAt ? html` · finished ${timeHtml(run.finishedAt, s.timeZone)}` : ''}</p>
${running
    ? html`<p role="status">Working: ${run.processed} of ${run.total || '…'} ${run.kind === 'csv' ? 'rows' : 'entries'}. This page refreshes by itself.</p>
<progress max="${String(run.total || 1)}" value="${String(run.processed)}" class="full-width">${String(run.processed)} of ${String(run.total)}</progress>`
    : ''}
${run.message ? html`<p class="${run.status === 'completed' ? 'notice' : 'error-box'}" role="alert">${run.message}</p>` : ''}
${run.warnings.map((w) => html`<p class="warning" role="alert">${w}</p>`)}
${counters(run)}
<h2>Rows</h2>
<p>${s.problemsOnly ? html`Showing rows that were blocked, failed or invalid. <a href="${base}">Show every changed row</a>` : html`Showing every row that changed something or needs attention (unchanged rows are only counted). <a href="${base}?show=problems">Show only problems</a>`}</p>
${rowsTable(s.rows, run.kind)}
${pages > 1
    ? html`<p>Page ${String(s.page)} of ${String(pages)} · ${s.page > 1 ? html`<a href="${query(s.page - 1)}">Previous</a>` : ''} ${s.page < pages ? html`<a href="${query(s.page + 1)}">Next</a>` : ''}</p>`
    : ''}`;
}

/** The meta refresh a running report carries (it replaces JavaScript polling). */
export function refreshHead(run: RunView): string {
  return run.status === 'running' ? `<meta http-equiv="refresh" content="${REFRESH_SECONDS}">` : '';
}
