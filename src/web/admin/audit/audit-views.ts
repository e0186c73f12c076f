// The audit log page: the filter form (a GET form: filtering changes nothing), events
// newest first with who, what, which target (marked when it no longer exists), details,
// source and address, cursor links to newer and older pages, and the CSV export link.
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import { AUDIT_ACTIONS } from '../../../audit/audit-actions.js';
import type { AuditEntry, AuditPage } from '../../../audit/audit-log.js';
import type { AuditFilterInput } from '../../../audit/audit-filter.js';
import { field } from '../../layout.js';
import { select } from '../../form-controls.js';

const DELETED: Record<string, string> = { user: 'deleted user', role: 'deleted role', client: 'deleted application' };

export function targetText(e: AuditEntry): string {
  if (!e.target) return '';
  const name = e.target.label ?? e.target.id;
  if (e.targetDeleted) return `${DELETED[e.target.type] ?? `deleted ${e.target.type}`} (${name})`;
  return `${e.target.type}: ${name}`;
}

function detailsText(details: Record<string, unknown>): string {
  return Object.keys(details).length ? JSON.stringify(details) : '';
}

export function auditQuery(values: AuditFilterInput, cursor: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...cursor })) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `?${q}` : '';
}

export interface AuditPageState {
  values: AuditFilterInput;
  errors: FieldErrors;
  page: AuditPage | null;
}

function rows(page: AuditPage): SafeHtml {
  if (page.items.length === 0) return html`<p>No events match.</p>`;
  return html`<table><thead><tr><th>Time (UTC)</th><th>Actor</th><th>Action</th><th>Target</th><th>Details</th><th>Source</th><th>IP</th></tr></thead><tbody>
${page.items.map(
  (e) => html`<tr><td>${e.occurredAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${e.actorLabel}</td><td><code>${e.action}</code></td>
<td>${e.targetDeleted ? html`<em>${targetText(e)}</em>` : targetText(e)}</td><td><small>${detailsText(e.details)}</small></td><td>${e.source}</td><td>${e.ip ?? ''}</td></tr>`,
)}
</tbody></table>`;
}

export function auditPageBody(s: AuditPageState): SafeHtml {
  const v = s.values;
  const e = s.errors;
  const page = s.page;
  return html`<h1>Audit log</h1>
<form method="get" action="/admin/audit">
${field({ name: 'actor', label: 'Actor', value: v.actor, error: e.actor, hint: 'Part of a name, or an id.' })}
${select({ name: 'action', label: 'Action', value: v.action ?? '', error: e.action, options: [{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))] })}
${field({ name: 'target', label: 'Target', value: v.target, error: e.target, hint: 'Part of a name or address, or an id.' })}
${field({ name: 'from', label: 'From (UTC date)', value: v.from, error: e.from, hint: 'Such as 2030-01-31.' })}
${field({ name: 'to', label: 'To (UTC date, included)', value: v.to, error: e.to })}
<button type="submit">Filter</button> <a href="/admin/audit">Clear</a></form>
${page
  ? html`<p><a href="/admin/audit/export.csv${auditQuery(v)}">Export these events as CSV</a></p>
${rows(page)}
<nav aria-label="Pages"><p>
${page.newerThan !== null ? html`<a href="/admin/audit${auditQuery(v, { after: page.newerThan })}" rel="prev">← Newer</a>` : ''}
${page.olderThan !== null ? html`<a href="/admin/audit${auditQuery(v, { before: page.olderThan })}" rel="next">Older →</a>` : ''}
</p></nav>`
  : html`<p class="error-box" role="alert">Correct the filter to see events.</p>`}`;
}
