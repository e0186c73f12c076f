// "A directory sets an account's state": the one operation through which SCIM (PUT, PATCH,
// Bulk), the LDAP sync and the CSV import change an existing account — its status, profile,
// password and roles — so every directory reaches the seat rule, the dominance rule and the
// audit trail through the same door. Applied inside the caller's transaction on a locked
// row, in one order: deactivation, profile, reactivation or confirmation, roles, password.
// A refusal at any step rolls the whole state back (RFC 7644 §3.5.2: PATCH is atomic).
import type { Context, TxContext } from '../context.js';
import type { RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import { verifyPassword } from '../passwords/password-hasher.js';
import type { ProfileInput } from './user-input.js';
import { DIRECTORY_FIELDS } from './user-model.js';
import type { UserView } from './user-presenter.js';
import type { UserValues } from './user-values.js';
import type { UserService } from './user-service.js';
import type { AccessEnds } from './access-ends.js';
import { externalIdIn, type ExternalIdRef } from '../connections/external-ids.js';

export interface DirectoryState {
  /** true: active (reactivates or confirms); false: deactivated; undefined: left as is. */
  active?: boolean;
  /** The profile fields the directory sends; only those that differ are written. */
  profile: ProfileInput;
  /** The multi-valued attributes the directory sends (each given one replaced whole). */
  values?: UserValues;
  /** A plain password to set (SCIM `password`); ignored when it is already the password. */
  password?: string | null;
  /** Exactly the roles the account should hold; the owner role is kept (only a transfer moves it). */
  roleIds?: readonly string[];
  /** Why the directory deactivated the account, kept on the row. */
  deactivationReason: string;
  /** Why the roles changed, kept in the audit trail. */
  rolesReason?: string;
  /** The access end date: a date sets or moves it, null clears it, undefined leaves it. */
  accessEndsAt?: Date | null;
}

export interface StateOutcome {
  user: UserView;
  outcome: 'updated' | 'reactivated' | 'deactivated' | 'unchanged';
  /** What changed, in words for sync and import reports. */
  notes: string[];
}

const PROFILE_KEYS: ReadonlyArray<keyof ProfileInput & keyof UserView> = [
  'username', 'email', 'givenName', 'familyName', 'displayName', 'phone', 'department', 'title', 'employeeNumber', 'manager', 'gender', 'birthdate', 'locale', 'kind',
  ...DIRECTORY_FIELDS,
];

/**
 * Only the fields that differ, so unchanged values are neither re-validated nor re-audited.
 * The externalId compared is the one the directory's connection keeps.
 */
export function changedProfile(current: Pick<UserView, (typeof PROFILE_KEYS)[number]> & { externalIds: readonly ExternalIdRef[] }, profile: ProfileInput, connectionId: string | undefined): ProfileInput {
  const changed: ProfileInput = {};
  const clean = (v: string | null) => (typeof v === 'string' ? v.trim() || null : v);
  for (const key of PROFILE_KEYS) {
    const v = profile[key];
    if (v === undefined) continue;
    if (clean(v) !== (current[key] ?? null)) changed[key] = v;
  }
  if (profile.externalId !== undefined && clean(profile.externalId) !== externalIdIn(current.externalIds, connectionId)) changed.externalId = profile.externalId;
  return changed;
}

/** The same set of ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((id) => x.has(id));
}

export class DirectoryStateWriter {
  constructor(
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly accessEnds: AccessEnds,
  ) {}

  /**
   * Locks the account, lets `decide` read it (and check preconditions such as If-Match),
   * and applies the state it returns — in one seat-taking transaction whose refusal is
   * audited like any other.
   */
  async setState(ctx: Context, id: string, decide: (current: UserView, tx: TxContext) => DirectoryState | Promise<DirectoryState>): Promise<StateOutcome> {
    const target = { type: 'user' as const, label: id };
    return this.seats.runTakingSeat(
      ctx,
      async (tx) => {
        const current = await this.users.getForUpdate(tx, id);
        target.label = current.username;
        return this.apply(tx, current, await decide(current, tx));
      },
      target,
    );
  }

  /** Applies `state` to `current`, whose row the caller locked in `tx`. */
  async apply(tx: TxContext, current: UserView, state: DirectoryState): Promise<StateOutcome> {
    const { users } = this;
    const id = current.id;
    const notes: string[] = [];
    let outcome: StateOutcome['outcome'] = 'updated';
    if (state.active === false && current.status === 'active') {
      await users.deactivate(tx, id, state.deactivationReason);
      outcome = 'deactivated';
    }
    const changed = changedProfile(current, state.profile, tx.connectionId);
    if (Object.keys(changed).length) {
      await users.update(tx, id, changed, { origin: 'directory' });
      notes.push(`changed ${Object.keys(changed).join(', ')}`);
    }
    const changedValues = state.values ? await users.updateValues(tx, id, state.values) : [];
    if (changedValues.length) notes.push(`changed ${changedValues.join(', ')}`);
    // Before a reactivation: an account ended by its date comes back only when the same
    // request moves or clears that date.
    if (state.accessEndsAt !== undefined && (state.accessEndsAt?.getTime() ?? null) !== (current.accessEndsAt?.getTime() ?? null)) {
      await this.accessEnds.set(tx, id, state.accessEndsAt);
      notes.push(state.accessEndsAt ? 'access end date set' : 'access end date cleared');
    }
    if (state.active === true && current.status === 'inactive') {
      await users.reactivate(tx, id);
      outcome = 'reactivated';
    }
    if (state.active === true && current.status === 'unconfirmed') {
      await users.confirm(tx, id, { emailVerified: false });
      notes.push('confirmed');
    }
    if (state.roleIds) {
      const held = current.roles.map((r) => r.id);
      const wanted = [...new Set([...state.roleIds, ...current.roles.filter((r) => r.builtin === 'owner').map((r) => r.id)])];
      if (!sameIds(held, wanted)) {
        await this.roles.setUserRoles(tx, id, wanted, state.rolesReason ?? null);
        notes.push('roles changed');
      }
    }
    if (state.password && !(await this.isCurrentPassword(id, state.password))) {
      await users.setPassword(tx, id, state.password);
      notes.push('password set');
    }
    if (outcome === 'updated' && notes.length === 0) outcome = 'unchanged';
    return { user: await users.get(id, tx), outcome, notes };
  }

  /** Okta repeats the password on every PUT: an unchanged one is not set (and audited) again. */
  private async isCurrentPassword(id: string, password: string): Promise<boolean> {
    const hash = await this.users.passwordHashOf(id);
    return !!hash && (await verifyPassword(hash, password));
  }
}
