// The rows a new account is made of, built the same way whether it is created alone or in a
// batch (user-service.ts, account-batch.ts): one definition of what a new account holds.
import type { ProfileColumns } from './user-input.js';
import { DIRECTORY_FIELDS, type DirectoryField, type UserAttributes, type UserSource, type UserStatus } from './user-model.js';
import { normalize, type Origin } from './user-validation.js';
import { checkValues, type UserValues } from './user-values.js';
import { sortNameOf, type SearchableProfile } from './user-search-terms.js';
import { newId } from '../ids.js';

/** How a new account is made: who makes it, under which rules, with what status and seat. */
export interface CreateUserOptions {
  source: UserSource;
  /** Page rules or directory rules for usernames and phones. */
  origin: Origin;
  /** Default `active`. `inactive` (SCIM active=false) takes no seat. */
  status?: UserStatus;
  emailVerified?: boolean;
  /** The phone was proven by a code in the transaction that creates the account. */
  phoneVerified?: boolean;
  /** A plain password, checked against the policy and hashed with argon2id. */
  password?: string | null;
  roleIds?: string[];
  /**
   * The seat was already reserved by a live invitation that this account replaces in the
   * same transaction (accepting a live invitation takes no seat). The count
   * stays right because the invitation's seat is only counted while no account has its
   * address: the new row ends that reservation as it starts its own. Only valid inside the
   * caller's transaction, which must mark the invitation accepted.
   */
  seatReserved?: boolean;
  /** A directory's multi-valued attributes; the account's email and phone are always among them. */
  values?: UserValues;
  /** When access ends by itself (in the future); its reminders go to `accessEndSetBy`, else the actor. */
  accessEndsAt?: Date | null;
  accessEndSetBy?: string | null;
}

/** Statuses that hold a seat. */
export const SEAT_HOLDING: readonly UserStatus[] = ['unconfirmed', 'active'];

/** Profile fields a new account leaves empty unless given. */
const EMPTY_PROFILE = {
  givenName: null, familyName: null, displayName: null, phone: null, department: null, title: null, employeeNumber: null,
  manager: null, gender: null, birthdate: null, locale: null,
  ...Object.fromEntries(DIRECTORY_FIELDS.map((f) => [f, null])) as Record<DirectoryField, null>,
} as const;

/** `values` with the account's email and phone among them (as the one work, primary value when there is none). */
export function withContact(values: UserValues, columns: ProfileColumns): UserValues {
  checkValues(values);
  const out = { ...values };
  const add = (attribute: 'emails' | 'phoneNumbers', text: string | null | undefined) => {
    const list = out[attribute] ?? [];
    if (text && !list.some((v) => typeof v.value === 'string' && normalize(v.value) === normalize(text))) out[attribute] = [{ value: text, type: 'work', primary: list.some((v) => v.primary) ? false : true }, ...list];
  };
  add('emails', columns.email);
  add('phoneNumbers', columns.phone);
  return out;
}

export function searchableOf(p: Partial<SearchableProfile>): SearchableProfile {
  return { username: p.username ?? '', email: p.email ?? null, givenName: p.givenName ?? null, familyName: p.familyName ?? null, displayName: p.displayName ?? null, phone: p.phone ?? null };
}

/** The users row of a new account with a fresh id. */
export function newAccountRow(columns: ProfileColumns, options: CreateUserOptions & { status: UserStatus }, passwordHash: string | null, now: Date): UserAttributes {
  return {
    ...EMPTY_PROFILE,
    ...columns,
    id: newId(),
    // profileColumns for a new account always yields these (the email only when required).
    username: columns.username!,
    usernameNormalized: columns.usernameNormalized!,
    email: columns.email ?? null,
    emailNormalized: columns.emailNormalized ?? null,
    kind: columns.kind!,
    source: options.source,
    status: options.status,
    emailVerified: options.emailVerified ?? false,
    verifiedPhone: options.phoneVerified ? (columns.phone ?? null) : null,
    passwordHash,
    version: 1,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: null,
    deactivatedAt: options.status === 'inactive' ? now : null,
    deactivationReason: null,
    totpSecret: null,
    totpEnabledAt: null,
    sortName: sortNameOf(searchableOf(columns)),
    accessEndsAt: options.accessEndsAt ?? null,
    accessEndReminders: 0,
    accessEndSetBy: options.accessEndsAt ? (options.accessEndSetBy ?? null) : null,
  };
}
