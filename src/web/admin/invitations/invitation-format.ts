// Small pieces the invitation pages share: labels, status badges, dates, the page style,
// and the invitations list's query (status filter, archived, page) read from a request
// and written back into links — so a resend or cancel returns to the same filtered page.
import { html, type SafeHtml } from '../../../html.js';
import type { InvitationStatus } from '../../../invitations/invitation-model.js';
import type { Option } from '../../form-controls.js';
import { copyButton } from '../../scripts/copy-button.js';

export const HERE = '/admin/invitations';
export const PAGE_SIZE = 50;

export const STATUS_LABELS: Record<InvitationStatus, string> = {
  pending: 'Pending',
  expired: 'Expired',
  accepted: 'Accepted',
  cancelled: 'Cancelled',
  superseded: 'Superseded',
};

const STATUSES = Object.keys(STATUS_LABELS) as InvitationStatus[];

export const KIND_OPTIONS: Option[] = [
  { value: 'user', label: 'User' },
  { value: 'requester', label: 'Requester' },
];

export const INVITATIONS_STYLE = html`<style>
.status{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;border:1px solid #d0d7de;white-space:nowrap}
.status-pending{background:#ddf4ff;border-color:#54aeff}.status-expired{background:#ffebe9;border-color:#ff8182}
.status-accepted{background:#dafbe1;border-color:#4ac26b}.status-cancelled,.status-superseded{background:#eaeef2}
.outcome-ok{color:#1a7f37;font-weight:600}.outcome-problem{color:#cf222e;font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:0 16px;align-items:flex-end}.filters select{max-width:220px}
.actions form{display:inline;margin:0}.actions button{margin:0 4px 4px 0;padding:3px 10px;font-size:.875rem}.actions a{margin-right:8px}
.muted{color:#57606a;font-size:.875rem}td.when{white-space:nowrap}.pager{display:flex;gap:16px;margin-top:16px}
fieldset.invite-row{border:1px solid #d0d7de;border-radius:8px;padding:8px 16px 16px;margin:16px 0}fieldset.invite-row legend{font-weight:600;padding:0 6px}
.link-once{width:100%;font-family:ui-monospace,monospace;font-size:.875rem;padding:6px;border:1px solid #54aeff;border-radius:6px;background:#f6f8fa}
.counts{display:flex;gap:24px;flex-wrap:wrap;margin:8px 0 16px}.counts div{min-width:120px}.counts strong{display:block;font-size:1.5rem}
</style>`;

export function statusBadge(status: InvitationStatus): SafeHtml {
  return html`<span class="status status-${status}">${STATUS_LABELS[status]}</span>`;
}

/** A link that is shown exactly once: read-only, selected on focus by the browser's own means. */
export function linkOnce(link: string, id: string): SafeHtml {
  return html`<input type="text" class="link-once" id="${id}" readonly value="${link}" aria-label="Shareable link"> ${copyButton(id, 'Copy link')}`;
}

// ---- the invitations list's query ------------------------------------------------------------

export interface ListQuery {
  status: InvitationStatus | null;
  archived: boolean;
  page: number;
}

export const STATUS_FILTER_OPTIONS: Option[] = [{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))];

/** Only known values pass; anything else falls back to the default (all, unarchived, page 1). */
export function listQueryOf(get: (key: string) => unknown): ListQuery {
  const status = get('status');
  const page = get('page');
  const archived = get('archived');
  return {
    status: typeof status === 'string' && (STATUSES as string[]).includes(status) ? (status as InvitationStatus) : null,
    archived: archived === '1' || archived === 'on',
    page: typeof page === 'string' && /^\d{1,6}$/.test(page) && Number(page) > 0 ? Number(page) : 1,
  };
}

/** The query string of the list (without "?"), with `change` applied. */
export function listQueryString(q: ListQuery, change: Partial<ListQuery> & { done?: string } = {}): string {
  const merged = { ...q, ...change };
  const params = new URLSearchParams();
  if (merged.status) params.set('status', merged.status);
  if (merged.archived) params.set('archived', '1');
  if (merged.page > 1) params.set('page', String(merged.page));
  if (change.done) params.set('done', change.done);
  return params.toString();
}

export function listUrl(q: ListQuery, change: Partial<ListQuery> & { done?: string } = {}): string {
  const text = listQueryString(q, change);
  return `${HERE}${text ? `?${text}` : ''}`;
}

/** The list a form came from (its hidden `back` field), re-read through listQueryOf: never an open redirect. */
export function backQuery(body: Record<string, unknown> | undefined): ListQuery {
  const back = typeof body?.back === 'string' ? new URLSearchParams(body.back) : new URLSearchParams();
  return listQueryOf((key) => back.get(key) ?? undefined);
}

export function backField(q: ListQuery): SafeHtml {
  return html`<input type="hidden" name="back" value="${listQueryString(q)}">`;
}

// ---- outcomes of a batch of invitations ----------------------------------------------------

/**
 * The details beside an outcome's label, without saying the label again: a refusal's
 * message often starts with it ("Seat limit reached: 5 of 5 user seats in use"). A full
 * pool also points to the Seats page, where seats are freed or added.
 */
export function outcomeDetails(label: string, status: string, message: string): SafeHtml {
  const prefix = `${label}: `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  const rest = text.charAt(0).toUpperCase() + text.slice(1);
  return status === 'seat_limit_reached' ? html`${rest}. <a href="/admin/seats">Seats</a>` : html`${rest}`;
}

/** A batch's summary line: a notice when every row went, a warning when some did not. */
export function batchSummary(text: string, done: number, total: number): SafeHtml {
  return done === total ? html`<p class="notice" role="status">${text}</p>` : html`<p class="warning" role="alert">${text}</p>`;
}
