// The users list: seat usage per pool, the search
// and filter form, the total, list view or card view, group headings, next/previous.
// Invited addresses without an account appear as Pending / Expired rows that lead to the
// invitations page.
import { html, type SafeHtml } from '../../../html.js';
import type { PoolUsage } from '../../../seats/seat-service.js';
import { timeHtml } from '../../time-format.js';
import { DEFAULT_ORDER, ENDING_WITHIN_DAYS, type DirectoryPage, type DirectoryRow, type RoleChoice } from '../../../users/user-directory.js';
import { select, type Option } from '../../form-controls.js';
import { csrfField, field, tableWrap } from '../../layout.js';
import { creationButton } from '../seats/seat-notices.js';
import { scriptTag } from '../../scripts/script-tag.js';
import type { RowMenuItem } from './row-menus.js';
import { ACTION_TITLES, BULK_ACTIONS, CONFIRMED_ACTIONS } from './row-operations.js';
import { day, KIND_LABELS, NO_EMAIL, seatBars, statusBadge, STATUS_LABELS, USERS_STYLE } from './user-format.js';

export type ListView = 'list' | 'cards';

export interface UserListState {
  page: DirectoryPage;
  pools: PoolUsage[];
  roles: RoleChoice[];
  view: ListView;
  canManage: boolean;
  canInvite: boolean;
  csrfToken: string;
  /** Each row's menu, by row id (rows the viewer may do nothing to have none). */
  menus: Map<string, RowMenuItem[]>;
  notice?: string;
  /** The organization's time zone, for end dates. */
  timeZone?: string;
}

const SORT_LABELS: Record<string, string> = { name: 'Name', username: 'Username', email: 'Email', created: 'Registration date', lastActivity: 'Last activity' };

/** The list's address with the query as applied, changed by `change` (cursor dropped unless given). */
export function listUrl(s: Pick<UserListState, 'page' | 'view'>, change: Record<string, string | null> = {}): string {
  const a = s.page.applied;
  const params: Record<string, string | null> = {
    q: a.search || null,
    status: a.status,
    role: a.roleId,
    kind: a.kind,
    ends: a.endingWithinDays ? String(a.endingWithinDays) : null,
    group: a.groupBy,
    sort: a.sort === 'name' ? null : a.sort,
    order: a.order === DEFAULT_ORDER[a.sort] ? null : a.order,
    size: a.limit === 25 ? null : String(a.limit),
    view: s.view === 'list' ? null : s.view,
    ...change,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== '') q.set(k, v);
  const text = q.toString();
  return `/admin/users${text ? `?${text}` : ''}`;
}

function filterForm(s: UserListState): SafeHtml {
  const a = s.page.applied;
  const opts = (pairs: Array<[string, string]>, any: string): Option[] => [{ value: '', label: any }, ...pairs.map(([value, label]) => ({ value, label }))];
  const arranged = a.groupBy !== null || a.sort !== 'name' || a.order !== DEFAULT_ORDER[a.sort] || a.limit !== 25;
  return html`<form method="get" action="/admin/users" class="filters" role="search" aria-label="Filter people" data-auto-submit>
<div>${field({ name: 'q', label: 'Search', value: a.search, placeholder: 'Name, email or phone' })}</div>
<div>${select({ name: 'status', label: 'Status', value: a.status, options: opts(Object.entries(STATUS_LABELS), 'Any status') })}</div>
<div>${select({ name: 'role', label: 'Role', value: a.roleId, options: opts(s.roles.map((r) => [r.id, r.name]), 'Any role') })}</div>
<div>${select({ name: 'kind', label: 'Kind', value: a.kind, options: opts(Object.entries(KIND_LABELS), 'Any kind') })}</div>
<div>${select({ name: 'ends', label: 'Access ends', value: a.endingWithinDays ? String(a.endingWithinDays) : '', options: [{ value: '', label: 'Any' }, ...ENDING_WITHIN_DAYS.map((d) => ({ value: String(d), label: `Ending within ${d} days` }))] })}</div>
<details class="more-filters"${arranged ? html` open` : ''}><summary>Sort and group</summary><div class="filters">
<div>${select({ name: 'group', label: 'Group by', value: a.groupBy, options: opts([['department', 'Department'], ['role', 'Role']], 'No grouping') })}</div>
<div>${select({ name: 'sort', label: 'Sort by', value: a.sort, options: Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label })) })}</div>
<div>${select({ name: 'order', label: 'Order', value: a.order === DEFAULT_ORDER[a.sort] ? '' : a.order, options: [{ value: '', label: 'Usual order' }, { value: 'asc', label: 'Ascending' }, { value: 'desc', label: 'Descending' }] })}</div>
<div>${select({ name: 'size', label: 'Per page', value: String(a.limit), options: ['25', '50', '100'].map((v) => ({ value: v, label: v })) })}</div>
</div></details>
${s.view === 'cards' ? html`<input type="hidden" name="view" value="cards">` : ''}
<div><button type="submit">Apply</button> <a href="/admin/users${s.view === 'cards' ? '?view=cards' : ''}">Clear</a></div>
</form>${scriptTag('auto-submit')}`;
}

/** The id a row is selected and acted on by. */
function refOf(r: DirectoryRow): string {
  return `${r.type}:${r.id}`;
}

/** The row's menu (⋮): links, and forms that post its action — or ask first for those that end something. */
function rowMenu(s: UserListState, r: DirectoryRow): SafeHtml {
  const items = s.menus.get(r.id);
  if (!items?.length) return html``;
  const back = listUrl(s);
  const item = (i: RowMenuItem): SafeHtml => {
    if (i.type === 'link') return html`<a href="${i.href}">${i.label}</a>`;
    if (CONFIRMED_ACTIONS.has(i.action)) {
      const q = new URLSearchParams({ action: i.action, ids: refOf(r), back });
      return html`<a href="/admin/users/bulk?${q.toString()}" class="${i.action === 'resend' ? '' : 'danger'}">${i.label}…</a>`;
    }
    return html`<form method="post" action="/admin/users/bulk">${csrfField(s.csrfToken)}<input type="hidden" name="action" value="${i.action}"><input type="hidden" name="ids" value="${refOf(r)}"><input type="hidden" name="back" value="${back}"><button type="submit">${i.label}</button></form>`;
  };
  return html`<details class="menu row-menu"><summary><span aria-hidden="true">⋮</span><span class="visually-hidden">Actions for ${r.username ?? r.email ?? r.name}</span></summary><div class="menu-items">${items.map(item)}</div></details>`;
}

function selectable(s: UserListState): boolean {
  return s.canManage || s.canInvite;
}

/** The box that ticks every row of the page; the select-all script reveals it. */
function selectAllBox(label: string): SafeHtml {
  return html`<label class="select-all" hidden><input type="checkbox" data-select-all="bulk-form"><span class="${label ? '' : 'visually-hidden'}">${label || 'Select all on this page'}</span></label>`;
}

/**
 * "With selected": the chosen rows' action, confirmed on the next page. The rows'
 * checkboxes (table or cards) belong to this form; its second button takes every row of
 * the page instead, so selecting all needs no script.
 */
function bulkBar(s: UserListState): SafeHtml {
  if (!selectable(s) || s.page.rows.length === 0) return html``;
  const n = s.page.rows.length;
  return html`<form id="bulk-form" method="get" action="/admin/users/bulk" class="toolbar bulk-bar" aria-label="Act on selected people">
${s.view === 'cards' ? selectAllBox('Select all') : ''}<label for="bulk-action">With the selected people</label><select id="bulk-action" name="action">${BULK_ACTIONS.map((a) => html`<option value="${a}">${ACTION_TITLES[a]}</option>`)}</select>
<input type="hidden" name="back" value="${listUrl(s)}">${s.page.rows.map((r) => html`<input type="hidden" name="page" value="${refOf(r)}">`)}
<button type="submit" class="secondary">Continue…</button><button type="submit" name="scope" value="page" class="secondary">…or all ${n} on this page</button></form>${scriptTag('select-all')}`;
}

function rowLink(r: DirectoryRow, label: SafeHtml | string): SafeHtml {
  return r.type === 'account' ? html`<a href="/admin/users/${r.id}">${label}</a>` : html`<a href="/admin/invitations?status=${r.status}">${label}</a>`;
}

function roleNames(r: DirectoryRow): SafeHtml {
  return r.roles.length ? html`${r.roles.map((x) => x.name).join(', ')}` : html`<span class="muted">none</span>`;
}

function registered(r: DirectoryRow): SafeHtml {
  if (r.type === 'account') return html`${day(r.createdAt)}`;
  return html`<span class="muted">invited ${day(r.createdAt)}${r.status === 'pending' ? html`, expires ${day(r.invitationExpiresAt)}` : ''}</span>`;
}

function groupLabel(s: UserListState, key: string | null | undefined): SafeHtml {
  const g = s.page.groups?.find((x) => x.key === (key ?? null));
  return html`${g?.label ?? 'Other'} <span class="muted">(${g?.count ?? 0})</span>`;
}

/** Rows with a heading row wherever the group changes (and at the top of every page). */
function withGroups(s: UserListState, render: (r: DirectoryRow) => SafeHtml, heading: (label: SafeHtml) => SafeHtml): SafeHtml[] {
  const out: SafeHtml[] = [];
  s.page.rows.forEach((r, i) => {
    if (s.page.groups && (i === 0 || r.group !== s.page.rows[i - 1]!.group)) out.push(heading(groupLabel(s, r.group)));
    out.push(render(r));
  });
  return out;
}

/** An invitee's name only when one was given: the address is in its own column. */
function nameCell(r: DirectoryRow): SafeHtml {
  if (r.type === 'account') return rowLink(r, r.name);
  return r.name && r.name !== r.email ? html`${r.name}` : html`<span class="muted">—</span>`;
}

function table(s: UserListState): SafeHtml {
  const pick = selectable(s);
  const columns = 9 + (pick ? 2 : 0);
  return tableWrap('People', html`<table class="users"><thead><tr>${pick ? html`<th class="select">${selectAllBox('')}</th>` : ''}<th>Username</th><th>Name</th><th>Email</th><th>Phone</th><th>Roles</th><th>Status</th><th>Registration date</th><th>Last activity</th><th>Ends</th>${pick ? html`<th class="select"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead><tbody>
${withGroups(
  s,
  (r) => html`<tr data-id="${r.id}">${pick ? html`<td class="select"><input type="checkbox" form="bulk-form" name="ids" value="${refOf(r)}" aria-label="Select ${r.username ?? r.email ?? r.name}"></td>` : ''}<td>${r.type === 'account' ? rowLink(r, r.username ?? '') : html`<span class="muted">—</span>`}</td><td>${nameCell(r)}</td><td>${r.type === 'invitee' ? rowLink(r, r.email ?? '') : (r.email ?? NO_EMAIL)}</td><td>${r.phone ?? ''}</td>
<td>${roleNames(r)}</td><td>${statusBadge(r.status)}</td><td>${registered(r)}</td><td>${r.lastActivityAt ? timeHtml(r.lastActivityAt, s.timeZone ?? 'UTC') : html`<span class="muted">never</span>`}</td><td class="ends">${timeHtml(r.accessEndsAt, s.timeZone ?? 'UTC')}</td>${pick ? html`<td class="row-actions">${rowMenu(s, r)}</td>` : ''}</tr>`,
  (label) => html`<tr class="group-row"><th colspan="${String(columns)}">${label}</th></tr>`,
)}
</tbody></table>`);
}

function cards(s: UserListState): SafeHtml {
  const pick = selectable(s);
  const card = (r: DirectoryRow) => html`<li class="user-card" data-id="${r.id}">${pick ? html`<label class="card-select"><input type="checkbox" form="bulk-form" name="ids" value="${refOf(r)}"><span class="visually-hidden">Select ${r.username ?? r.email ?? r.name}</span></label>` : ''}<h3>${rowLink(r, r.name)}</h3>
<div>${statusBadge(r.status)} <span class="muted">${KIND_LABELS[r.kind] ?? r.kind}</span></div>
${r.username ? html`<div class="muted">@${r.username}</div>` : ''}<div>${r.email ?? NO_EMAIL}</div>${r.phone ? html`<div>${r.phone}</div>` : ''}
${r.title || r.department ? html`<div class="muted">${[r.title, r.department].filter(Boolean).join(' · ')}</div>` : ''}
<div class="muted">Roles: ${roleNames(r)}</div>${rowMenu(s, r)}</li>`;
  if (!s.page.groups) return html`<ul class="user-cards">${s.page.rows.map(card)}</ul>`;
  // One card grid per group.
  const sections: Array<{ group: string | null | undefined; rows: DirectoryRow[] }> = [];
  for (const r of s.page.rows) {
    if (sections.length === 0 || sections.at(-1)!.group !== r.group) sections.push({ group: r.group, rows: [] });
    sections.at(-1)!.rows.push(r);
  }
  return html`${sections.map((sec) => html`<h2 class="group-heading">${groupLabel(s, sec.group)}</h2><ul class="user-cards">${sec.rows.map(card)}</ul>`)}`;
}

export function userListBody(s: UserListState): SafeHtml {
  const p = s.page;
  const otherView: ListView = s.view === 'cards' ? 'list' : 'cards';
  return html`${USERS_STYLE}<h1>Users</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${seatBars(s.pools)}
<div class="toolbar">${s.canManage ? creationButton('Add user', '/admin/users/new', s.pools) : ''}${s.canInvite ? creationButton('Invite users', '/admin/invitations/new', s.pools) : ''}</div>
${filterForm(s)}
<div class="toolbar"><strong id="total">${p.total} ${p.total === 1 ? 'person' : 'people'}</strong><span class="spacer"></span>
<span>View: ${s.view === 'list' ? html`<strong>List</strong>` : html`<a href="${listUrl(s, { view: null })}">List</a>`} · ${s.view === 'cards' ? html`<strong>Cards</strong>` : html`<a href="${listUrl(s, { view: otherView })}" id="card-view">Cards</a>`}</span></div>
${bulkBar(s)}
${p.rows.length === 0 ? html`<p>No one matches.</p>` : s.view === 'cards' ? cards(s) : table(s)}
<nav class="pager" aria-label="Pages">${p.previous ? html`<a href="${listUrl(s, { cursor: p.previous })}" rel="prev">← Previous</a>` : ''}${p.next ? html`<a href="${listUrl(s, { cursor: p.next })}" rel="next">Next →</a>` : ''}</nav>`;
}
