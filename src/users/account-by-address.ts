// Finding the account an email address belongs to (sign-up, password reset, invitations,
// upstream sign-in). Only an account that has an address can be found: one without stores
// NULL, which equals nothing in SQL, so it is never matched by anyone's address.
import type { Transaction } from 'sequelize';
import type { Models } from '../db/models.js';
import type { UserAttributes } from './user-model.js';

export type AccountWithAddress = UserAttributes & { email: string; emailNormalized: string };

/** The account's row when it has an address; null for one without. */
export function withAddress(row: UserAttributes | null | undefined): AccountWithAddress | null {
  if (!row || row.email === null || row.emailNormalized === null) return null;
  return { ...row, email: row.email, emailNormalized: row.emailNormalized };
}

/** The account whose normalised address this is, if any. */
export async function accountByAddress(
  models: Models,
  emailNormalized: string,
  transaction?: Transaction | null,
): Promise<AccountWithAddress | null> {
  if (!emailNormalized) return null;
  const row = await models.User.findOne({ where: { emailNormalized }, transaction: transaction ?? undefined });
  return withAddress(row?.get({ plain: true }));
}
