// The audit log page: the filter form (a GET form: filtering changes nothing), events
// newest first with who, what, which target (marked when it no longer exists), details,
// source and address, cursor links to newer and older pages, and the CSV export link.
import { tableWrap } from '../../layout.js';
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import { AUDIT_ACTIONS } from '../../../audit/audit-actions.js';
import type { AuditEntry, AuditPage } from '../../../audit/audit-log.js';
import type { AuditFilterInput } from '../../../audit/audit-filter.js';
import { timeHtml } from '../../time-format.js';
import { detailLines } from './audit-details.js';
import { targetText } from '../../../audit/audit-target.js';

function details(details: Record<string, unknown>): SafeHtml {
  const lines = detailLines(details);
  return lines.length ? html`<ul class="lines">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : html``;
}

export function auditQuery(values: AuditFilterInput, cursor: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...cursor })) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `?${q}` : '';
}

export interface AuditPageState {
  /** The organization's time zone: times are shown in it. */
  timeZone: string;
  values: AuditFilterInput;
  errors: FieldErrors;
  page: AuditPage | null;
}

function rows(page: AuditPage, timeZone: string): SafeHtml {
  if (page.items.length === 0) return html`<p>No events match.</p>`;
  return html`${tableWrap('Audit events', html`<table id="audit-events" class="stack"><thead><tr><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Details</th><th>Source</th><th>IP</th></tr></thead><tbody>
${page.items.map(
  (e) => html`<tr><td class="when" data-label="Time">${timeHtml(e.occurredAt, timeZone)}</td><td data-label="Actor">${e.actorLabel}</td><td data-label="Action"><code>${e.action}</code></td>
<td data-label="Target">${e.targetDeleted ? html`<em>${targetText(e)}</em>` : targetText(e)}</td><td data-label="Details">${details(e.details)}</td><td data-label="Source">${e.source}</td><td data-label="IP">${e.ip ?? ''}</td></tr>`,
)}
</tbody></table>`)}`;
}

/** One compact row of filters; each control keeps its label (and its error below it). */
function filter(o: { name: keyof AuditFilterInput; label: string; value?: string; error?: string; type?: string; placeholder?: string }): SafeHtml {
  const id = `f-${o.name}`;
  return html`<div><label for="${id}">${o.label}</label><input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}" ${o.placeholder ? html`placeholder="${o.placeholder}"` : ''}
 ${o.error ? html`class="invalid" aria-invalid="true" aria-describedby="${id}-error"` : ''}>${o.error ? html`<p class="field-error" id="${id}-error">${o.error}</p>` : ''}</div>`;
}

export function auditPageBody(s: AuditPageState): SafeHtml {
  const v = s.values;
  const e = s.errors;
  const page = s.page;
  return html`<div class="page-head"><h1>Audit log</h1>${page ? html`<a class="button secondary" href="/admin/audit/export.csv${auditQuery(v)}">Export these events as CSV</a>` : ''}</div>
<form method="get" action="/admin/audit" class="filters" aria-label="Filter events">
${filter({ name: 'actor', label: 'Actor', value: v.actor, error: e.actor, placeholder: 'name or id' })}
<div><label for="f-action">Action</label><select id="f-action" name="action" ${e.action ? html`class="invalid" aria-invalid="true" aria-describedby="f-action-error"` : ''}>
${[{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))].map((o) => html`<option value="${o.value}" ${o.value === (v.action ?? '') ? html`selected` : ''}>${o.label}</option>`)}
</select>${e.action ? html`<p class="field-error" id="f-action-error">${e.action}</p>` : ''}</div>
${filter({ name: 'target', label: 'Target', value: v.target, error: e.target, placeholder: 'name, address or id' })}
${filter({ name: 'from', label: 'From (UTC)', value: v.from, error: e.from, type: 'date' })}
${filter({ name: 'to', label: 'To (UTC, included)', value: v.to, error: e.to, type: 'date' })}
<div><button type="submit">Filter</button> <a href="/admin/audit">Clear</a></div></form>
${page
  ? html`${rows(page, s.timeZone)}
<nav aria-label="Pages"><p>
${page.newerThan !== null ? html`<a href="/admin/audit${auditQuery(v, { after: page.newerThan })}" rel="prev">← Newer</a>` : ''}
${page.olderThan !== null ? html`<a href="/admin/audit${auditQuery(v, { before: page.olderThan })}" rel="next">Older →</a>` : ''}
</p></nav>`
  : html`<p class="error-box" role="alert">Correct the filter to see events.</p>`}`;
}
