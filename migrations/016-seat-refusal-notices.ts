// The day the holders of seats.manage were last mailed that a pool refused a creation, kept
// on the pool's row: "one notice per pool per day" must hold across several processes, so
// the decision to send is a conditional write of this column, made in the transaction that
// enqueues the mail.
import type { QueryInterface } from 'sequelize';
import { str, type Migration } from './columns.js';

export const migration: Migration = {
  name: '016-seat-refusal-notices',
  async up(qi: QueryInterface) {
    // YYYY-MM-DD in UTC, as text: compared for equality only, the same on both dialects.
    await qi.addColumn('seat_pools', 'refusal_noticed_on', str(10));
  },
  async down(qi: QueryInterface) {
    await qi.removeColumn('seat_pools', 'refusal_noticed_on');
  },
};
