// Accounts without an email address: a directory (SCIM, LDAP, CSV) may create an account
// that has none. Such an account stores NULL in both email columns, never an empty string,
// so the unique index on the normalised address keeps holding between accounts that have
// one while any number of accounts have none (NULLs are distinct in a unique index on
// SQLite and MySQL/MariaDB alike). A directory may also remove an address: the record of
// that change, and its "it wasn't me" link to the old address, has no new address.
import type { QueryInterface } from 'sequelize';
import { QueryTypes } from 'sequelize';
import type { Migration } from './columns.js';
import { setNullable } from './column-nullability.js';

const USER_EMAIL = [{ name: 'email', length: 320 }, { name: 'email_normalized', length: 320 }];
const NEW_EMAIL = [{ name: 'new_email', length: 320 }];

async function countWhere(qi: QueryInterface, sql: string): Promise<number> {
  const [row] = await qi.sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT });
  return Number(row?.n ?? 0);
}

export const migration: Migration = {
  name: '013-optional-email',
  async up(qi: QueryInterface) {
    await setNullable(qi, 'users', USER_EMAIL, true);
    await setNullable(qi, 'email_changes', NEW_EMAIL, true);
  },
  // Only while every account still has an address: undoing must not invent addresses.
  async down(qi: QueryInterface) {
    const without = await countWhere(qi, 'SELECT COUNT(*) AS n FROM users WHERE email IS NULL OR email_normalized IS NULL');
    if (without) throw new Error(`${without} account(s) have no email address; give them one before undoing 013-optional-email.`);
    const removals = await countWhere(qi, 'SELECT COUNT(*) AS n FROM email_changes WHERE new_email IS NULL');
    if (removals) throw new Error(`${removals} recorded email removal(s) have no new address; delete them before undoing 013-optional-email.`);
    await setNullable(qi, 'email_changes', NEW_EMAIL, false);
    await setNullable(qi, 'users', USER_EMAIL, false);
  },
};
