// The one wording of a pool's state, shared by every page that shows seats (overview, users,
// seats, the add and invite forms), so no two pages can disagree about the same numbers:
// "Full" once use reaches the limit, "Nearly full" from 90% of it, "Over the limit" after
// the limit was lowered below use.
import type { Kind } from '../users/user-model.js';

export type SeatLevel = 'unlimited' | 'open' | 'nearly_full' | 'full' | 'over_limit';

/** What the state needs: a pool's use and its limit (null: unlimited). */
export interface SeatCount {
  pool: Kind;
  used: number;
  limit: number | null;
}

export const NEARLY_FULL_RATIO = 0.9;

export function seatLevel(p: SeatCount): SeatLevel {
  if (p.limit === null) return 'unlimited';
  if (p.used > p.limit) return 'over_limit';
  if (p.used >= p.limit) return 'full';
  if (p.used >= Math.ceil(p.limit * NEARLY_FULL_RATIO)) return 'nearly_full';
  return 'open';
}

/** No new seat can be taken in this pool now. */
export function isFull(p: SeatCount): boolean {
  const level = seatLevel(p);
  return level === 'full' || level === 'over_limit';
}

export const SEAT_LEVEL_LABELS: Record<SeatLevel, string> = {
  unlimited: 'Unlimited',
  open: 'Seats free',
  nearly_full: 'Nearly full',
  full: 'Full',
  over_limit: 'Over the limit',
};

/** The sentence a page shows beside the pool, or null when there is nothing to warn of. */
export function seatWarning(p: SeatCount): string | null {
  switch (seatLevel(p)) {
    case 'over_limit':
      return `Over the limit: ${p.used} of ${p.limit} ${p.pool} seats are in use. Nobody is removed; new seats are blocked until use falls below the limit.`;
    case 'full':
      return `Full: all ${p.limit} ${p.pool} seats are in use. New seats are blocked until one is freed or the limit is raised.`;
    case 'nearly_full':
      return `Nearly full: ${p.used} of ${p.limit} ${p.pool} seats are in use.`;
    default:
      return null;
  }
}
