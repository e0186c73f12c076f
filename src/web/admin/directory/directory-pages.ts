// /admin/directory: the LDAP sync at a glance (settings summary, "Sync now", recent runs)
// and the CSV import's pages (upload, preview).
import { html, type SafeHtml } from '../../../html.js';
import type { LdapSettingsView } from '../../../directory/ldap-settings-service.js';
import type { RowView, RunView } from '../../../directory/sync-report.js';
import { csrfField, tableWrap } from '../../layout.js';
import { timeHtml } from '../../time-format.js';
import { textarea } from '../../form-controls.js';
import { counters, rowsTable, runTitle } from './run-report-page.js';

function runsTable(runs: RunView[], timeZone: string): SafeHtml {
  if (runs.length === 0) return html`<p>None yet.</p>`;
  return html`${tableWrap('Runs', html`<table><thead><tr><th>Started</th><th>Run</th><th>Status</th><th>Created</th><th>Updated</th><th>Deactivated</th><th>Blocked</th><th>Failed</th></tr></thead><tbody>
${runs.map(
  (r) => html`<tr><td><a href="/admin/directory/runs/${r.id}">${timeHtml(r.startedAt ?? r.createdAt, timeZone)}</a></td><td>${runTitle(r)} (${r.trigger})</td><td>${r.status}</td>
<td>${r.created}</td><td>${r.updated + r.reactivated}</td><td>${r.deactivated}</td><td>${r.blocked}</td><td>${r.failed + r.invalid}</td></tr>`,
)}
</tbody></table>`)}`;
}

export interface OverviewState {
  csrfToken: string;
  ldap: LdapSettingsView;
  syncs: RunView[];
  imports: RunView[];
  error?: string;
  timeZone: string;
}

export function overviewBody(s: OverviewState): SafeHtml {
  const { settings } = s.ldap;
  return html`<h1>Directory</h1>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<h2>LDAP sync</h2>
${s.ldap.configured
    ? html`<p>Syncing <code>${settings.baseDn}</code> from <code>${settings.url}</code> · ${settings.intervalMinutes > 0 ? `every ${settings.intervalMinutes} minutes` : 'on demand only'} · missing entries ${settings.deactivateMissing ? 'are deactivated' : 'are left alone'}.</p>
<form method="post" action="/admin/directory/sync">${csrfField(s.csrfToken)}<button type="submit">Sync now</button></form>`
    : html`<p>Not set up yet.</p>`}
<p><a href="/admin/directory/ldap">LDAP settings</a></p>
${runsTable(s.syncs, s.timeZone)}
<h2>CSV import</h2>
<p><a href="/admin/directory/import">Import accounts from a CSV file</a></p>
${runsTable(s.imports, s.timeZone)}`;
}

export interface ImportFormState {
  csrfToken: string;
  error?: string;
  text?: string;
  imports: RunView[];
  timeZone: string;
}

export function importFormBody(s: ImportFormState): SafeHtml {
  return html`<h1>Import accounts</h1>
<p><a href="/admin/directory">← Directory</a></p>
<p>Upload a CSV file (UTF-8) with a header line. <a href="/admin/directory/import/template.csv">Download the template</a>: username, email, first name, last name, display name, phone, department, title, employee number, manager, gender, birthdate, locale, external id, kind (user or requester), roles (names separated by ;), status (active or inactive).</p>
<p class="hint">Rows are matched to accounts by external id, then by email: importing a file again updates those accounts. An empty cell clears that field (username, email, kind, roles and status are left as they are). New accounts take a seat in their pool, in file order. You will see a preview before anything changes.</p>
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<form method="post" action="/admin/directory/import" enctype="multipart/form-data">${csrfField(s.csrfToken)}
<label for="f-file">CSV file</label><input id="f-file" type="file" name="file" accept=".csv,text/csv">
${textarea({ name: 'text', label: 'Or paste the rows', value: s.text, rows: 6 })}
<button type="submit">Preview</button></form>
<h2>Recent imports</h2>
${runsTable(s.imports, s.timeZone)}`;
}

export interface PreviewState {
  csrfToken: string;
  run: RunView;
  rows: RowView[];
  totalRows: number;
}

export function previewBody(s: PreviewState): SafeHtml {
  const { run } = s;
  const importable = run.created + run.updated;
  return html`<h1>Preview: ${runTitle(run)}</h1>
<p><a href="/admin/directory/import">← Import</a></p>
<p>${run.total} ${run.total === 1 ? 'row' : 'rows'} read. Nothing has changed yet.</p>
${counters(run, true)}
${run.blocked ? html`<p class="warning" role="alert">${run.blocked} ${run.blocked === 1 ? 'row' : 'rows'} would be blocked: the seat limit would be reached. Rows are taken in file order; existing accounts still update.</p>` : ''}
${run.invalid ? html`<p class="warning" role="alert">${run.invalid} ${run.invalid === 1 ? 'row has' : 'rows have'} problems and will not be imported. Fix the file and upload it again, or import the other rows.</p>` : ''}
<h2>Rows</h2>
<p class="hint">The first rows of the file, and every row with a problem${s.totalRows > s.rows.length ? ` (${s.rows.length} of ${s.totalRows} shown)` : ''}.</p>
${rowsTable(s.rows, 'csv')}
<form method="post" action="/admin/directory/import/${run.id}/run">${csrfField(s.csrfToken)}<button type="submit" ${importable === 0 ? html`disabled` : ''}>Import ${importable} ${importable === 1 ? 'row' : 'rows'}</button></form>
<form method="post" action="/admin/directory/import/${run.id}/discard">${csrfField(s.csrfToken)}<button type="submit" class="secondary">Discard</button></form>`;
}
