// Seats and invitations: each invitation row takes a seat per
// address in input order; a full pool refuses the rest one by one (audited); cancelled and
// expired invitations release their seat; resending an expired one takes it again;
// accepting a live invitation takes none (its seat was reserved).
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { SeatLimitReached } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents, rejection, setLimit, used } from '../accounts/account-fixtures.js';
import { addAdmin, GOOD_PASSWORD, roleId } from './invite-kit.js';

describeEachDatabase('invitations: seats', (h) => {
  const anonymous = () => ({ actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'invitation' as const, ip: null });

  it('takes addresses in input order until the pool is full, then reports each refusal', async () => {
    const admin = await addAdmin(h); // holds 1 of 3 seats
    await setLimit(h, 3);
    const outcomes = await h.services.invitations.invite(admin.ctx, [
      { addresses: 'a@example.com b@example.com c@example.com', roleIds: [await roleId(h, 'member')] },
      { addresses: 'r@example.com', roleIds: [await roleId(h, 'member')], kind: 'requester' },
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['sent', 'sent', 'seat_limit_reached', 'sent']);
    expect(outcomes[2]!.message).to.equal('Seat limit reached: 3 of 3 user seats in use');
    expect(await used(h)).to.equal(3);
    expect(await used(h, 'requester')).to.equal(1);
    expect(await h.services.models.Invitation.count({ where: { emailNormalized: 'c@example.com' } })).to.equal(0);
    const refusals = await auditEvents(h, { action: 'seats.limit_reached' });
    expect(refusals).to.have.length(1);
    expect(refusals[0]!.details).to.deep.include({ pool: 'user', used: 3, limit: 3, attempted: 'c@example.com' });
  });

  it('a second invitation to an invited address takes no second seat', async () => {
    const admin = await addAdmin(h);
    await setLimit(h, 2);
    const member = await roleId(h, 'member');
    expect((await h.services.invitations.invite(admin.ctx, [{ addresses: 'same@example.com', roleIds: [member] }]))[0]!.status).to.equal('sent');
    expect(await used(h)).to.equal(2);
    expect((await h.services.invitations.invite(admin.ctx, [{ addresses: 'SAME@example.com', roleIds: [await roleId(h, 'viewer')] }]))[0]!.status).to.equal('sent');
    expect(await used(h)).to.equal(2);
  });

  it('cancelling releases the seat; expiry releases it; resending an expired one takes it again', async () => {
    const admin = await addAdmin(h);
    await setLimit(h, 2);
    const member = await roleId(h, 'member');
    const [first] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'first@example.com', roleIds: [member] }]);
    expect(await used(h)).to.equal(2);
    await h.services.invitations.cancel(admin.ctx, first!.invitationId!);
    expect(await used(h)).to.equal(1);

    const [second] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'second@example.com', roleIds: [member] }]);
    expect(second!.status).to.equal('sent');
    h.clock.advance(168 * HOUR_MS);
    expect(await used(h)).to.equal(1);
    // Someone takes the freed seat; the expired invitation cannot come back until one frees up.
    const [third] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'third@example.com', roleIds: [member] }]);
    expect(third!.status).to.equal('sent');
    await rejection(h.services.invitations.resend(admin.ctx, second!.invitationId!), SeatLimitReached);
    expect((await h.services.invitations.get(admin.ctx, second!.invitationId!)).status).to.equal('expired');
    expect(await auditEvents(h, { action: 'seats.limit_reached' })).to.have.length(1);
    await h.services.invitations.cancel(admin.ctx, third!.invitationId!);
    await h.services.invitations.resend(admin.ctx, second!.invitationId!);
    expect(await used(h)).to.equal(2);
    // A pending (live) invitation's resend takes no further seat.
    await h.services.invitations.resend(admin.ctx, second!.invitationId!);
    expect(await used(h)).to.equal(2);
  });

  it('accepting a live invitation with the pool full takes no new seat', async () => {
    const admin = await addAdmin(h);
    await setLimit(h, 2);
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'full@example.com', roleIds: [await roleId(h, 'member')], method: 'link' }]);
    expect(await used(h)).to.equal(2);
    const token = new URL(o!.link!).searchParams.get('token')!;
    const { user } = await h.services.invitations.accept(anonymous(), token, { password: GOOD_PASSWORD });
    expect(user.status).to.equal('active');
    expect(await h.services.seats.usage('user')).to.include({ used: 2, accounts: 2, invited: 0 });
    // And an ordinary creation is still refused.
    await rejection(h.services.users.create(h.system(), { email: 'extra@example.com' }, { source: 'admin', origin: 'page' }), SeatLimitReached);
  });

  it('editing the kind of a live invitation moves its seat to the other pool, checked there', async () => {
    const admin = await addAdmin(h);
    await setLimit(h, 0, 'requester');
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'mover@example.com', roleIds: [await roleId(h, 'member')] }]);
    await rejection(h.services.invitations.edit(admin.ctx, o!.invitationId!, { kind: 'requester' }), SeatLimitReached);
    await setLimit(h, 1, 'requester');
    await h.services.invitations.edit(admin.ctx, o!.invitationId!, { kind: 'requester' });
    expect(await used(h, 'requester')).to.equal(1);
    expect(await used(h)).to.equal(1);
  });

  it('the seat-taking passes never create an invitation beyond the limit under parallel invites', async () => {
    const admin = await addAdmin(h);
    await setLimit(h, 6);
    const member = await roleId(h, 'member');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => h.services.invitations.invite(admin.ctx, [{ addresses: `p${i}@example.com`, roleIds: [member] }])));
    const sent = results.flat().filter((o) => o.status === 'sent');
    expect(sent).to.have.length(5);
    expect(await used(h)).to.equal(6);
  });
});
