// An invitation takes one seat per invited address with a live
// (pending, unexpired by the application clock) invitation and no account. Rows are
// written directly here; the invitation service that writes them comes later.
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { SeatLimitReached } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addInvitation, addUser, rejection, setLimit } from './account-fixtures.js';

describeEachDatabase('seats: invitations', (h) => {
  const usage = (pool: 'user' | 'requester' = 'user') => h.services.seats.usage(pool);

  it('a live invitation to an address without an account takes a seat', async () => {
    await addInvitation(h, 'guest@example.com');
    expect(await usage()).to.include({ used: 1, accounts: 0, invited: 1 });
  });

  it('two live invitations to one address (in any case) count once', async () => {
    await addInvitation(h, 'twice@example.com');
    await addInvitation(h, 'Twice@Example.com');
    await addInvitation(h, 'other@example.com');
    expect(await usage()).to.include({ used: 2, invited: 2 });
  });

  it('an invitation to an address that has an account counts zero (the account counts)', async () => {
    await addUser(h, { email: 'member@example.com' });
    await addInvitation(h, 'member@example.com');
    expect(await usage()).to.include({ used: 1, accounts: 1, invited: 0 });
  });

  it('an invitation to the address of an inactive account counts zero too', async () => {
    await addUser(h, { email: 'asleep@example.com' }, { status: 'inactive' });
    await addInvitation(h, 'asleep@example.com');
    expect(await usage()).to.include({ used: 0, invited: 0 });
  });

  it('cancelled, accepted, superseded and expired-status invitations do not count', async () => {
    for (const status of ['cancelled', 'accepted', 'superseded', 'expired'] as const) await addInvitation(h, `${status}@example.com`, { status });
    expect(await usage()).to.include({ used: 0, invited: 0 });
  });

  it('a pending invitation expires by the application clock, freeing its seat', async () => {
    await addInvitation(h, 'late@example.com', { expiresInHours: 2 });
    expect((await usage()).invited).to.equal(1);
    h.clock.advance(2 * HOUR_MS - 1);
    expect((await usage()).invited).to.equal(1);
    h.clock.advance(1); // expiresAt is not "after now" any more
    expect((await usage()).invited).to.equal(0);
  });

  it('an address counts while any one of its invitations is live', async () => {
    await addInvitation(h, 'mixed@example.com', { expiresInHours: 1 });
    await addInvitation(h, 'mixed@example.com', { expiresInHours: 48 });
    h.clock.advanceHours(2);
    expect((await usage()).invited).to.equal(1);
    h.clock.advanceHours(47);
    expect((await usage()).invited).to.equal(0);
  });

  it('invitations count in their own kind\'s pool', async () => {
    await addInvitation(h, 'helpdesk@example.com', { kind: 'requester' });
    expect((await usage('requester')).invited).to.equal(1);
    expect((await usage('user')).invited).to.equal(0);
  });

  it('live invitations fill the pool and block creations; their expiry frees the seats', async () => {
    await setLimit(h, 2);
    await addUser(h);
    await addInvitation(h, 'waiting@example.com', { expiresInHours: 24 });
    const err = await rejection(addUser(h, { username: 'blocked' }), SeatLimitReached);
    expect(err.message).to.equal('Seat limit reached: 2 of 2 user seats in use');
    h.clock.advanceHours(25);
    const u = await addUser(h, { username: 'unblocked' });
    expect(u.status).to.equal('active');
    expect(await usage()).to.include({ used: 2, accounts: 2, invited: 0 });
  });

  it('cancelling (a status change) frees the seat at once', async () => {
    await setLimit(h, 1);
    const id = await addInvitation(h, 'maybe@example.com');
    await rejection(addUser(h), SeatLimitReached);
    await h.services.models.Invitation.update({ status: 'cancelled' }, { where: { id } });
    await addUser(h);
    expect((await usage()).used).to.equal(1);
  });
});
