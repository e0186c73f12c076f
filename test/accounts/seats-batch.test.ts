// In a batch (invite rows, CSV, SCIM Bulk, LDAP sync) rows are taken in
// input order; those within the limit are created and the rest reported one by one, and
// no partial account ever exists. src/batch.ts applyInOrder is the shared helper.
import { expect } from 'chai';
import { applyInOrder } from '../../src/batch.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents, setLimit } from './account-fixtures.js';

describeEachDatabase('seats: batches in input order', (h) => {
  it('creates rows within the limit in input order and reports the rest one by one', async () => {
    await setLimit(h, 3);
    const rows = [
      { email: 'row0@example.com' },
      { email: 'row1@example.com' },
      { email: 'not-an-address' },
      { email: 'row3@example.com' },
      { email: 'row4@example.com' },
      { email: 'ROW1@example.com' },
      { email: 'row6@example.com' },
    ];
    const progress: number[] = [];
    const outcomes = await applyInOrder(
      rows,
      (row) => {
        h.clock.advance(1_000); // creation times then show the order rows were applied in
        return h.services.users.create({ ...h.system(), source: 'csv' }, row, { source: 'csv', origin: 'directory' });
      },
      (done) => progress.push(done),
    );

    expect(outcomes.map((o) => (o.ok ? 'created' : o.code))).to.deep.equal([
      'created',
      'created',
      'validation_failed',
      'created',
      'seat_limit_reached',
      // The pool is full, but a duplicate is still reported as what it is: the seat check
      // comes after the uniqueness check, so the admin fixes the right problem.
      'conflict',
      'seat_limit_reached',
    ]);
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed.map((o) => o.index)).to.deep.equal([2, 4, 5, 6]);
    const [, seat4, , seat6] = failed;
    expect(seat4).to.include({ message: 'Seat limit reached: 3 of 3 user seats in use' });
    expect(seat6).to.include({ message: 'Seat limit reached: 3 of 3 user seats in use' });
    expect(failed[0]).to.have.property('fields').that.has.keys('email');
    expect(progress).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);

    const created = await h.services.users.list(); // ordered by creation time
    expect(created.map((u) => u.email)).to.deep.equal(['row0@example.com', 'row1@example.com', 'row3@example.com']);
    const refusals = await auditEvents(h, { action: 'seats.limit_reached' });
    expect(refusals.map((e) => e.details.attempted)).to.deep.equal(['row4@example.com', 'row6@example.com']);
    expect(refusals.every((e) => e.source === 'csv')).to.equal(true);
  });

  it('a row freed earlier in the batch makes room for a later one', async () => {
    await setLimit(h, 1);
    const first = await h.services.users.create(h.system(), { email: 'first@example.com' }, { source: 'admin', origin: 'page' });
    const ops: Array<() => Promise<unknown>> = [
      () => h.services.users.create(h.system(), { email: 'early@example.com' }, { source: 'admin', origin: 'page' }),
      () => h.services.users.deactivate(h.system(), first.id, 'left'),
      () => h.services.users.create(h.system(), { email: 'late@example.com' }, { source: 'admin', origin: 'page' }),
    ];
    const outcomes = await applyInOrder(ops, (op) => op());
    expect(outcomes.map((o) => o.ok)).to.deep.equal([false, true, true]);
    expect((await h.services.users.list({ status: 'active' })).map((u) => u.email)).to.deep.equal(['late@example.com']);
  });
});
