// A SCIM token's permission set: chosen at creation from
// what the creator holds, and acting only as far as the creator still holds it. Pure rules;
// the service reads the rows.
import type { Actor } from '../context.js';
import { ValidationError } from '../errors.js';
import { ALL } from '../roles/authorize.js';
import { PERMISSIONS, PERMISSION_PATTERN } from '../roles/permission-catalogue.js';

/** Licence seats and billing are for people, not directories: offered, never pre-chosen. */
export const NOT_BY_DEFAULT: readonly string[] = ['seats.manage', 'billing.manage'];

/** What an actor may put in a token's set: catalogue order, then free-form strings. */
export function grantablePermissions(actor: Actor): string[] {
  const held = new Set([...actor.permissions].filter((p) => p !== ALL));
  // The owner (and the command line) hold every permission: the catalogue is theirs to give.
  if (actor.permissions.has(ALL)) for (const p of PERMISSIONS) held.add(p);
  const catalogue = PERMISSIONS.filter((p) => held.has(p));
  const free = [...held].filter((p) => !(PERMISSIONS as readonly string[]).includes(p)).sort();
  return [...catalogue, ...free];
}

export function defaultPermissions(actor: Actor): string[] {
  return grantablePermissions(actor).filter((p) => !NOT_BY_DEFAULT.includes(p));
}

/** A chosen set, cleaned: trimmed, unique, sorted, each a valid permission string, not empty. */
export function normalizeSet(input: readonly unknown[]): string[] {
  const set = [...new Set(input.map((p) => String(p).trim()).filter(Boolean))].sort();
  const bad = set.find((p) => !PERMISSION_PATTERN.test(p));
  if (bad !== undefined) throw new ValidationError({ permissions: `"${bad}" is not a valid permission.` });
  if (set.length === 0) throw new ValidationError({ permissions: 'Choose at least one permission for the token.' });
  return set;
}

export function parseSet(stored: string | null): string[] {
  if (!stored) return [];
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The token's creator as it stands now; null when the account no longer exists. */
export interface CreatorNow {
  username: string;
  status: string;
  /** The union of the creator's roles' permissions, ALL for the owner. */
  permissions: ReadonlySet<string>;
}

export type TokenState = 'active' | 'orphaned' | 'stopped';

export interface TokenStanding {
  state: TokenState;
  /** What the token acts with: its set, less what the creator no longer holds. */
  effective: string[];
  /** Permissions of the set the creator no longer holds. */
  lost: string[];
  /** Why the token is orphaned or stopped, in a sentence; null while active. */
  reason: string | null;
}

/**
 * A token created on the command line (no creator) acts with its set. Otherwise it acts
 * with the set ∩ the creator's current permissions, is orphaned when that is less than the
 * set, and stops when the creator is deactivated or deleted.
 */
export function standingOf(token: { name: string; createdBy: string; createdById: string | null; permissions: readonly string[] }, creator: CreatorNow | null): TokenStanding {
  if (!token.createdById) return { state: 'active', effective: [...token.permissions], lost: [], reason: null };
  if (!creator) {
    return { state: 'stopped', effective: [], lost: [...token.permissions], reason: `its creator ${token.createdBy} was deleted` };
  }
  if (creator.status !== 'active') {
    const what = creator.status === 'inactive' ? 'is deactivated' : `is not active (${creator.status})`;
    return { state: 'stopped', effective: [], lost: [...token.permissions], reason: `its creator ${creator.username} ${what}` };
  }
  const holds = (p: string) => creator.permissions.has(ALL) || creator.permissions.has(p);
  const effective = token.permissions.filter(holds);
  const lost = token.permissions.filter((p) => !holds(p));
  if (lost.length === 0) return { state: 'active', effective, lost, reason: null };
  return { state: 'orphaned', effective, lost, reason: `its creator ${creator.username} no longer holds ${lost.join(', ')}` };
}

/** The 401 a stopped token answers with. */
export function stoppedDetail(name: string, reason: string | null): string {
  return `The SCIM token "${name}" is stopped: ${reason}. An administrator holding its permissions can adopt it on the SCIM tokens page; its secret stays the same.`;
}
