// The profile fields a directory row would change on an existing account: only those are
// handed to users.update, so unchanged values are neither re-validated nor re-audited, and
// a row that changes nothing writes nothing.
import type { ProfileInput } from '../users/user-input.js';
import type { UserView } from '../users/user-presenter.js';

const KEYS: ReadonlyArray<keyof ProfileInput & keyof UserView> = [
  'username', 'email', 'givenName', 'familyName', 'displayName', 'phone', 'department', 'title', 'employeeNumber', 'manager', 'gender', 'birthdate', 'locale', 'externalId', 'kind',
];

export function changedProfile(current: Pick<UserView, (typeof KEYS)[number]>, profile: ProfileInput): ProfileInput {
  const changed: ProfileInput = {};
  for (const key of KEYS) {
    const v = profile[key];
    if (v === undefined) continue;
    const clean = typeof v === 'string' ? v.trim() || null : v;
    if (clean !== (current[key] ?? null)) changed[key] = v;
  }
  return changed;
}

/** The same set of ids, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((id) => x.has(id));
}
