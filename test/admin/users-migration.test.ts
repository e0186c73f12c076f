// migrations/006-users-list.ts fills in the sort name and search terms of accounts that
// existed before it, on SQLite and MariaDB, in batches.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser } from '../accounts/account-fixtures.js';
import { backfill } from '../../migrations/006-users-list.js';

describeEachDatabase('migration 006-users-list', (h) => {
  it('backfills sort names and search terms of existing accounts', async () => {
    const users = [];
    for (let i = 0; i < 12; i++) users.push(await addUser(h, { username: `pre${i}`, givenName: `Given${i}`, familyName: i % 2 ? 'Núñez' : null, phone: i % 3 ? null : `+4420794600${String(i).padStart(2, '0')}` }));
    const terms = async () => (await h.services.models.UserSearchTerm.findAll()).map((t) => `${t.userId}:${t.term}`).sort();
    const sortNames = async () => (await h.services.models.User.findAll({ order: [['id', 'ASC']] })).map((u) => `${u.id}:${u.sortName}`);
    const [termsBefore, namesBefore] = [await terms(), await sortNames()];
    expect(namesBefore.some((n) => n.endsWith(':given1 núñez'))).to.equal(true);

    // As an installation from before the migration: no sort names, no terms.
    await h.db.sequelize.query("UPDATE users SET sort_name = ''");
    await h.db.sequelize.query('DELETE FROM user_search_terms');
    await backfill(h.db.sequelize.getQueryInterface(), 5); // three batches

    expect(await sortNames()).to.deep.equal(namesBefore);
    expect(await terms()).to.deep.equal(termsBefore);
    expect((await h.services.userDirectory.page(h.system(), { search: 'nunez' })).total).to.equal(6);
  });
});
