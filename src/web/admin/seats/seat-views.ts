// The Seats page: usage per pool (accounts and invited addresses),
// a warning from 90%, the over-limit notice after a lowered limit, and the limit form —
// for the owner (seats.manage) unless configuration fixes the limit (then read-only).
import { html, type SafeHtml } from '../../../html.js';
import type { FieldErrors } from '../../../errors.js';
import type { PoolUsage } from '../../../seats/seat-service.js';
import { csrfField, field } from '../../layout.js';
import { seatWarningBox } from './seat-notices.js';

export interface SeatPageState {
  csrfToken: string;
  pools: PoolUsage[];
  canEdit: boolean;
  notice?: string;
  /** The pool whose form was refused, with its value and messages. */
  refused?: { pool: string; value: string; errors: FieldErrors };
}

const POOL_LABELS: Record<string, string> = { user: 'Users', requester: 'Requesters' };

function usageLine(p: PoolUsage): SafeHtml {
  if (p.limit === null) return html`${p.used} in use · unlimited`;
  const percent = p.limit === 0 ? 100 : Math.round((p.used / p.limit) * 100);
  return html`<meter min="0" max="${String(Math.max(p.limit, 1))}" low="${String(Math.ceil(p.limit * 0.9))}" high="${String(Math.ceil(p.limit * 0.9))}" optimum="0" value="${String(Math.min(p.used, Math.max(p.limit, 1)))}" title="${percent}%"></meter>
${p.used} of ${p.limit} in use (${percent}%)`;
}

function limitControl(s: SeatPageState, p: PoolUsage): SafeHtml {
  if (p.limitFromConfig) {
    return html`<p class="hint">The limit is set by configuration (SEATS_${p.pool.toUpperCase()}, the licence) and is read-only here.</p>`;
  }
  if (!s.canEdit) return html`<p class="hint">Only the owner can change seat limits.</p>`;
  const refused = s.refused?.pool === p.pool ? s.refused : undefined;
  return html`<form method="post" action="/admin/seats">${csrfField(s.csrfToken)}<input type="hidden" name="pool" value="${p.pool}">
${field({ name: `limit-${p.pool}`, label: `${POOL_LABELS[p.pool] ?? p.pool} seat limit`, value: refused ? refused.value : p.limit === null ? '' : String(p.limit), error: refused?.errors.limit ?? refused?.errors.pool, hint: 'A whole number, or empty for unlimited. Lowering it below current use removes nobody.' })}
<button type="submit">Save limit</button></form>`;
}

export function seatPageBody(s: SeatPageState): SafeHtml {
  // A refusal for a pool without a form here (unknown, or fixed by configuration) goes on top.
  const formless = s.refused && !s.pools.some((p) => p.pool === s.refused!.pool && !p.limitFromConfig && s.canEdit);
  return html`<h1>Seats</h1>
${s.notice ? html`<p class="notice" role="status">${s.notice}</p>` : ''}
${formless ? html`<p class="error-box" role="alert">${Object.values(s.refused!.errors).join(' ')}</p>` : ''}
<p>Accounts that are unconfirmed or active take a seat, and so does each invited address with a live invitation and no account.</p>
${s.pools.map(
  (p) => html`<section id="pool-${p.pool}"><h2>${POOL_LABELS[p.pool] ?? p.pool}</h2>
<p>${usageLine(p)}</p>
<table><tbody><tr><th>Accounts</th><td>${p.accounts}</td></tr><tr><th>Invited</th><td>${p.invited}</td></tr><tr><th>Limit</th><td>${p.limit ?? 'unlimited'}</td></tr></tbody></table>
${seatWarningBox(p)}
${limitControl(s, p)}</section>`,
)}`;
}
