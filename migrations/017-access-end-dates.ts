// Access that ends by itself: an optional end date on accounts (UTC), carried from an
// invitation to the account it becomes. `access_end_reminders` counts the reminders already
// mailed for the current date (0, 1 or 2) so a reminder is claimed by one conditional
// UPDATE, exactly once across processes; moving the date resets it. `access_end_set_by`
// is whoever set the date (the inviter for an invitation's date): the reminders go to them.
import type { QueryInterface } from 'sequelize';
import { int, str, time, type Migration } from './columns.js';

export const migration: Migration = {
  name: '017-access-end-dates',
  async up(qi: QueryInterface) {
    await qi.addColumn('users', 'access_ends_at', time());
    await qi.addColumn('users', 'access_end_reminders', int(false, 0));
    await qi.addColumn('users', 'access_end_set_by', str(36));
    await qi.addIndex('users', ['access_ends_at'], { name: 'users_access_ends_at' });
    await qi.addColumn('invitations', 'access_ends_at', time());
  },
  async down(qi: QueryInterface) {
    await qi.removeColumn('invitations', 'access_ends_at');
    await qi.removeIndex('users', 'users_access_ends_at');
    await qi.removeColumn('users', 'access_end_set_by');
    await qi.removeColumn('users', 'access_end_reminders');
    await qi.removeColumn('users', 'access_ends_at');
  },
};
