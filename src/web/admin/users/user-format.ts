// Small shared pieces of the users pages: status badges, dates, the seat bars.
import { html, type SafeHtml } from '../../../html.js';
import type { PoolUsage } from '../../../seats/seat-service.js';
import type { ListStatus } from '../../../users/user-directory.js';
import { seatWarningBox } from '../seats/seat-notices.js';

export const STATUS_LABELS: Record<ListStatus, string> = {
  active: 'Active',
  unconfirmed: 'Unconfirmed',
  inactive: 'Inactive',
  pending: 'Pending',
  expired: 'Expired',
};

export const KIND_LABELS: Record<string, string> = { user: 'User', requester: 'Requester' };

/** Where an account a directory made without an address would show its email. */
export const NO_EMAIL = html`<span class="muted">no email</span>`;

/** Page-specific styles (the shell's style sheet covers the rest). */
export const USERS_STYLE = html`<style>
.status{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;border:1px solid #d0d7de;white-space:nowrap}
.status-active{background:#dafbe1;border-color:#4ac26b}.status-unconfirmed{background:#fff8c5;border-color:#d4a72c}
.status-inactive{background:#eaeef2}.status-pending{background:#ddf4ff;border-color:#54aeff}.status-expired{background:#ffebe9;border-color:#ff8182}
.seat-pools{display:flex;gap:24px;flex-wrap:wrap;margin:8px 0 16px}.seat-pool{min-width:240px}
.seat-bar{height:10px;background:#eaeef2;border-radius:5px;overflow:hidden;margin:4px 0}.seat-bar span{display:block;height:100%;background:#2da44e}
.seat-pool.near .seat-bar span{background:#d4a72c}.seat-pool.over .seat-bar span{background:#cf222e}
details.more-filters{align-self:flex-end}details.more-filters>summary{cursor:pointer;padding:5px 0;color:var(--accent)}details.more-filters>.filters{margin:4px 0 0}
td.select{width:1%;white-space:nowrap}td.row-actions{width:1%;text-align:right}details.row-menu>.menu-items{position:static;box-shadow:none;margin-top:4px;text-align:left}
.bulk-bar label{margin:0;font-weight:400}.bulk-bar select{width:auto}
.toolbar{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:12px 0}.toolbar .spacer{flex:1}
.user-cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
.user-card{border:1px solid #d0d7de;border-radius:8px;padding:12px;position:relative}.user-card .card-select{position:absolute;top:8px;right:8px;margin:0}.user-card .card-select input{width:20px;height:20px}.select-all{display:inline-flex;gap:6px;align-items:center;margin:0;font-weight:400}.select-all[hidden]{display:none}.user-card h3{padding-right:28px}.user-card h3{margin:0 0 4px;font-size:1rem}
.muted{color:#57606a;font-size:.875rem}.group-row th{background:#f6f8fa}.pager{display:flex;gap:16px;margin-top:16px}
section.action{border-top:1px solid #d8dee4;margin-top:24px;padding-top:8px}.action-forms>section.action:not(:target){display:none}.action-forms>section.action:target{border:1px solid var(--accent,#0969da);border-radius:8px;padding:8px 16px 16px}dl.profile{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.profile dt{font-weight:600}dl.profile dd{margin:0}
</style>`;

export function statusBadge(status: ListStatus): SafeHtml {
  return html`<span class="status status-${status}">${STATUS_LABELS[status]}</span>`;
}

export function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : '';
}

export function moment(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

/** Usage per pool: a bar, a warning from 90%, the over-limit notice. */
export function seatBars(pools: PoolUsage[]): SafeHtml {
  return html`<div class="seat-pools">${pools.map((p) => {
    const percent = p.limit === null ? 0 : p.limit === 0 ? 100 : Math.min(100, Math.round((p.used / p.limit) * 100));
    const state = p.level === 'over_limit' || p.level === 'full' ? 'over' : p.level === 'nearly_full' ? 'near' : '';
    return html`<div class="seat-pool ${state}" id="seats-${p.pool}"><strong>${KIND_LABELS[p.pool] ?? p.pool} seats</strong>
${p.limit === null
  ? html`<div class="muted">${p.used} in use · unlimited</div>`
  : html`<div class="seat-bar" role="meter" aria-valuemin="0" aria-valuemax="${String(p.limit)}" aria-valuenow="${String(p.used)}" aria-label="${p.pool} seats in use"><span style="width:${String(percent)}%"></span></div>
<div class="muted">${p.used} of ${p.limit} in use (${percent}%)</div>`}
${seatWarningBox(p)}</div>`;
  })}</div>`;
}
