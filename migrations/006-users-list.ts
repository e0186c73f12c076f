// The admin users list (search, filter, group, sort, cursor paging) and
// reactivation links (an inactive account reactivated by
// emailing a link valid 72 h).
//
// - users.sort_name: the lower-cased display name, so "sort by name" walks an index
//   ((sort_name, id) for keyset paging) instead of sorting every account by an expression.
// - user_search_terms: the words of each account's names, username, email and phone, so
//   a search is an index range per word (prefix match) on both dialects; an infix LIKE
//   would read every row. Kept by the users service on every create and update.
// - indexes for the other sort keys (last activity) and for grouping by department.
// - reactivation_links: 256-bit tokens stored as SHA-256.
import type { QueryInterface } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { references, serialKey, str, time, type Migration } from './columns.js';
import { searchTermsAt006, sortNameAt006 } from './frozen/user-search-terms.js';

const BACKFILL_BATCH = 500;

interface UserRow {
  id: string;
  username: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  phone: string | null;
}

/** Existing accounts get their sort name and search terms (batched by id, keyset). */
export async function backfill(qi: QueryInterface, batch = BACKFILL_BATCH): Promise<void> {
  const sequelize = qi.sequelize;
  let after = '';
  for (;;) {
    const rows = await sequelize.query<UserRow>(
      'SELECT id, username, email, given_name, family_name, display_name, phone FROM users WHERE id > :after ORDER BY id LIMIT :limit',
      { replacements: { after, limit: batch }, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return;
    for (const r of rows) {
      const profile = { username: r.username, email: r.email, givenName: r.given_name, familyName: r.family_name, displayName: r.display_name, phone: r.phone };
      await sequelize.query('UPDATE users SET sort_name = :sortName WHERE id = :id', { replacements: { sortName: sortNameAt006(profile), id: r.id } });
      const terms = searchTermsAt006(profile);
      if (terms.length) await qi.bulkInsert('user_search_terms', terms.map((term) => ({ user_id: r.id, term })));
    }
    after = rows[rows.length - 1]!.id;
  }
}

export const migration: Migration = {
  name: '006-users-list',
  async up(qi: QueryInterface) {
    await qi.addColumn('users', 'sort_name', { ...str(255, false), defaultValue: '' });
    await qi.addIndex('users', ['sort_name', 'id'], { name: 'users_sort_name_id' });
    await qi.addIndex('users', ['last_sign_in_at', 'id'], { name: 'users_last_sign_in_at_id' });
    await qi.addIndex('users', ['department', 'sort_name', 'id'], { name: 'users_department_sort_name' });

    await qi.createTable('user_search_terms', {
      id: serialKey(),
      user_id: references('users', 'CASCADE'),
      // Lower-cased words (and their accent-free spelling); not unique: MySQL's
      // case- and accent-insensitive collation would call "josé" and "jose" duplicates.
      term: str(100, false),
    });
    await qi.addIndex('user_search_terms', ['term', 'user_id'], { name: 'user_search_terms_term' });
    await qi.addIndex('user_search_terms', ['user_id'], { name: 'user_search_terms_user' });

    await qi.createTable('reactivation_links', {
      id: serialKey(),
      user_id: references('users', 'CASCADE'),
      token_hash: str(64, false),
      created_by_label: str(255, false),
      created_at: time(false),
      expires_at: time(false),
      used_at: time(),
    });
    await qi.addIndex('reactivation_links', ['token_hash'], { unique: true, name: 'reactivation_links_token_hash_unique' });
    await qi.addIndex('reactivation_links', ['user_id', 'expires_at'], { name: 'reactivation_links_user' });

    await backfill(qi);
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('reactivation_links');
    await qi.dropTable('user_search_terms');
    await qi.removeIndex('users', 'users_department_sort_name');
    await qi.removeIndex('users', 'users_last_sign_in_at_id');
    await qi.removeIndex('users', 'users_sort_name_id');
    await qi.removeColumn('users', 'sort_name');
  },
};
