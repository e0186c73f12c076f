// How the admin pages speak of a pool's state: the warning beside its numbers, the refusal
// after a creation met a full pool, and the creation buttons that say a pool is full
// before anyone fills a form. The words themselves come from the seats domain, so every
// page says the same thing about the same numbers.
import { html, type SafeHtml } from '../../../html.js';
import type { PoolUsage } from '../../../seats/seat-service.js';
import { isFull, seatWarning } from '../../../seats/seat-state.js';

export const SEATS_PAGE = '/admin/seats';

/** The warning a pool's state deserves (nearly full, full, over the limit), or nothing. */
export function seatWarningBox(p: PoolUsage): SafeHtml {
  const warning = seatWarning(p);
  return warning ? html`<p class="warning" role="status">${warning}</p>` : html``;
}

/** A creation refused for a full pool: the reason, and where seats are freed or added. */
export function seatRefusalBox(message: string): SafeHtml {
  return html`<div class="error-box warning" role="alert"><p>${message}.</p><p><a href="${SEATS_PAGE}">Open the Seats page</a> to see who holds the seats or to raise the limit.</p></div>`;
}

/**
 * A button that creates people ("Add user", "Invite users"). While every pool is full it
 * becomes a link to the Seats page that says so; while only some are, it stays and names
 * the full ones, because the form can still create someone of another kind.
 */
export function creationButton(label: string, href: string, pools: readonly PoolUsage[]): SafeHtml {
  const full = pools.filter(isFull);
  if (full.length > 0 && full.length === pools.length) {
    return html`<a class="button button-secondary seats-full" href="${SEATS_PAGE}" title="No free seats">${label}: no free seats — open Seats</a>`;
  }
  const note = full.length ? html` <span class="muted">(${full.map((p) => p.pool).join(', ')} seats full — <a href="${SEATS_PAGE}">Seats</a>)</span>` : '';
  return html`<a class="button" href="${href}">${label}</a>${note}`;
}
