// SCIM tokens carry a permission set chosen at creation:
// a token acts with its set intersected with its creator's current permissions, and stops
// when its creator is no longer active.
//
// - scim_tokens.permissions: the set, a JSON array of permission strings. It is only ever
//   read with its token (every SCIM request reads the token row anyway), never searched.
// - scim_tokens.needs_review: the set was given by this migration, not chosen by a person.
// - scim_tokens.orphaned_at: when the holders of scim.manage were told that the creator no
//   longer holds the set (or is no longer active); cleared when someone adopts the token.
//   It is what keeps that mail to one per orphaning, not what decides the token's standing.
//
// Tokens from before this migration acted with their creator's permissions (plus users and
// roles management, whatever the creator held). Each gets the permissions its creator's
// roles carry now, flagged for review; a token created on the command line (no creator)
// acted with the built-in Admin role's permissions and gets those.
import { QueryTypes, type QueryInterface } from 'sequelize';
import { bool, text, time, type Migration } from './columns.js';

interface TokenRow {
  id: string;
  created_by: string | null;
  revoked_at: Date | string | null;
}

/** Gives every token without a set its creator's current role permissions, flagged for review. */
export async function backfill(qi: QueryInterface): Promise<void> {
  const sequelize = qi.sequelize;
  const tokens = await sequelize.query<TokenRow>('SELECT id, created_by, revoked_at FROM scim_tokens WHERE permissions IS NULL ORDER BY id', { type: QueryTypes.SELECT });
  if (tokens.length === 0) return;
  const admin = await sequelize.query<{ permission: string }>(
    "SELECT rp.permission FROM roles r JOIN role_permissions rp ON rp.role_id = r.id WHERE r.builtin = 'admin'",
    { type: QueryTypes.SELECT },
  );
  for (const token of tokens) {
    const rows = token.created_by
      ? await sequelize.query<{ permission: string }>(
          'SELECT DISTINCT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = :userId',
          { replacements: { userId: token.created_by }, type: QueryTypes.SELECT },
        )
      : admin;
    const permissions = [...new Set(rows.map((r) => r.permission))].sort();
    // A revoked token answers nothing: its set is kept for the record, nobody need review it.
    await sequelize.query('UPDATE scim_tokens SET permissions = :permissions, needs_review = :review WHERE id = :id', {
      replacements: { permissions: JSON.stringify(permissions), review: token.revoked_at ? 0 : 1, id: token.id },
    });
  }
}

export const migration: Migration = {
  name: '009-scim-token-permissions',
  async up(qi: QueryInterface) {
    await qi.addColumn('scim_tokens', 'permissions', text());
    await qi.addColumn('scim_tokens', 'needs_review', bool(false));
    await qi.addColumn('scim_tokens', 'orphaned_at', time());
    // A change to an account's permissions looks up the live tokens it created.
    await qi.addIndex('scim_tokens', ['created_by'], { name: 'scim_tokens_created_by' });
    await backfill(qi);
  },
  async down(qi: QueryInterface) {
    await qi.removeIndex('scim_tokens', 'scim_tokens_created_by');
    for (const column of ['orphaned_at', 'needs_review', 'permissions']) await qi.removeColumn('scim_tokens', column);
  },
};
