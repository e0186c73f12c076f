// The invitations page: email, roles, inviter, sent,
// expires and status; the status filter; archived expired invitations (more than 30 days
// old) only when asked; the actions each status allows (resend, cancel, edit, delete);
// previous/next pages.
import { html, type SafeHtml } from '../../../html.js';
import type { InvitationView } from '../../../invitations/invitation-presenter.js';
import { checkbox, select } from '../../form-controls.js';
import { csrfField } from '../../layout.js';
import type { PoolUsage } from '../../../seats/seat-service.js';
import { creationButton } from '../seats/seat-notices.js';
import { timeHtml } from '../../time-format.js';
import { backField, HERE, INVITATIONS_STYLE, listUrl, PAGE_SIZE, STATUS_FILTER_OPTIONS, STATUS_LABELS, statusBadge, type ListQuery } from './invitation-format.js';

export interface InvitationListState {
  csrfToken: string;
  query: ListQuery;
  items: InvitationView[];
  total: number;
  /** Seat use: the invite button says when no pool has a free seat. */
  pools: PoolUsage[];
  /** The organization's time zone: times are shown in it, named. */
  timeZone: string;
  notice?: string;
  error?: string;
}

function filterForm(q: ListQuery): SafeHtml {
  return html`<form method="get" action="${HERE}" class="filters" role="search">
<div>${select({ name: 'status', label: 'Status', options: STATUS_FILTER_OPTIONS, value: q.status ?? '' })}</div>
<div>${checkbox({ name: 'archived', label: 'Include archived (expired more than 30 days ago)', checked: q.archived })}</div>
<div><button type="submit">Apply</button> <a href="${HERE}">Clear</a></div>
</form>`;
}

function actions(s: InvitationListState, i: InvitationView): SafeHtml {
  const post = (action: string, label: string) =>
    html`<form method="post" action="${HERE}/${i.id}/${action}">${csrfField(s.csrfToken)}${backField(s.query)}<button type="submit" class="secondary">${label}</button></form>`;
  const back = listUrl(s.query).slice(HERE.length);
  return html`<td class="actions">${i.actions.resend ? post('resend', 'Resend') : ''}
${i.actions.edit ? html`<a href="${HERE}/${i.id}/edit${back}">Edit</a>` : ''}
${i.actions.cancel ? html`<a href="${HERE}/${i.id}/cancel${back}">Cancel</a>` : ''}
${i.actions.delete ? html`<a href="${HERE}/${i.id}/delete${back}">Delete</a>` : ''}</td>`;
}

function row(s: InvitationListState, i: InvitationView): SafeHtml {
  const name = [i.givenName, i.familyName].filter(Boolean).join(' ');
  return html`<tr data-id="${i.id}" data-status="${i.status}"><td>${i.email}${name ? html`<br><span class="muted">${name}</span>` : ''}
${i.deliveryEmail ? html`<br><span class="muted">sent to ${i.deliveryEmail}</span>` : ''}${i.method === 'link' ? html`<br><span class="muted">shareable link</span>` : ''}</td>
<td>${i.roles.map((r) => r.name).join(', ')}${i.kind === 'requester' ? html`<br><span class="muted">requester</span>` : ''}</td>
<td>${i.inviter.label ?? ''}</td><td class="when">${timeHtml(i.sentAt, s.timeZone)}</td><td class="when">${timeHtml(i.expiresAt, s.timeZone)}</td>
<td>${statusBadge(i.status)}${i.archived ? html` <span class="muted">archived</span>` : ''}</td>${actions(s, i)}</tr>`;
}

export function invitationListBody(s: InvitationListState): SafeHtml {
  const q = s.query;
  const first = (q.page - 1) * PAGE_SIZE;
  const what = q.status ? `${STATUS_LABELS[q.status].toLowerCase()} invitation` : 'invitation';
  return html`${INVITATIONS_STYLE}<h1>Invitations</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${s.error ? html`<p class="error-box" role="alert">${s.error}</p>` : ''}
<div class="toolbar">${creationButton('Invite people', `${HERE}/new`, s.pools)}<a href="${HERE}/bulk">Invite many from a CSV file</a></div>
${filterForm(q)}
<div class="toolbar"><strong id="total">${s.total} ${what}${s.total === 1 ? '' : 's'}</strong>
${s.items.length ? html`<span class="muted">showing ${first + 1}–${first + s.items.length}</span>` : ''}</div>
${s.items.length === 0
  ? html`<p>No invitations match.${q.archived ? '' : html` <a href="${listUrl(q, { archived: true, page: 1 })}">Include archived ones</a>.`}</p>`
  : html`<table id="invitations"><thead><tr><th>Email</th><th>Roles</th><th>Invited by</th><th>Sent</th><th>Expires</th><th>Status</th><th>Actions</th></tr></thead>
<tbody>${s.items.map((i) => row(s, i))}</tbody></table>`}
<nav class="pager" aria-label="Pages">${q.page > 1 ? html`<a href="${listUrl(q, { page: q.page - 1 })}" rel="prev">← Previous</a>` : ''}${first + s.items.length < s.total ? html`<a href="${listUrl(q, { page: q.page + 1 })}" rel="next">Next →</a>` : ''}</nav>`;
}
