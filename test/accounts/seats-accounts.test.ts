// Which account events take and free a seat, what a full pool
// refuses (whole, with "Seat limit reached: U of L <pool> seats in use", audited) and what
// it still allows (every update of an existing account).
import { expect } from 'chai';
import { SeatLimitReached, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection, setLimit, used, userCount } from './account-fixtures.js';

describeEachDatabase('seats: accounts', (h) => {
  const users = () => h.services.users;

  describe('what takes and frees a seat', () => {
    it('unconfirmed and active accounts hold seats, inactive ones do not', async () => {
      await addUser(h);
      await addUser(h, {}, { status: 'unconfirmed' });
      await addUser(h, {}, { status: 'inactive' });
      const usage = await h.services.seats.usage('user');
      expect(usage).to.include({ used: 2, accounts: 2, invited: 0, limit: null });
    });

    it('each pool counts its own kind', async () => {
      await addUser(h, { kind: 'requester' });
      await addUser(h, { kind: 'requester' });
      await addUser(h);
      expect(await used(h, 'requester')).to.equal(2);
      expect(await used(h, 'user')).to.equal(1);
    });

    it('deactivation and deletion free a seat; confirmation keeps it; reactivation takes one', async () => {
      const a = await addUser(h);
      const b = await addUser(h, {}, { status: 'unconfirmed' });
      expect(await used(h)).to.equal(2);
      await users().confirm(h.system(), b.id, { emailVerified: true });
      expect(await used(h)).to.equal(2);
      await users().deactivate(h.system(), a.id);
      expect(await used(h)).to.equal(1);
      await users().reactivate(h.system(), a.id);
      expect(await used(h)).to.equal(2);
      await users().delete(h.system(), b.id);
      expect(await used(h)).to.equal(1);
    });

    it('a kind change moves the seat to the new pool', async () => {
      const u = await addUser(h);
      const changed = await users().update(h.system(), u.id, { kind: 'requester' }, { origin: 'page' });
      expect(changed.kind).to.equal('requester');
      expect(await used(h, 'user')).to.equal(0);
      expect(await used(h, 'requester')).to.equal(1);
    });
  });

  describe('a full pool', () => {
    it('refuses a creation with the exact message, creates nothing, and audits the refusal', async () => {
      await setLimit(h, 2);
      await addUser(h);
      await addUser(h, {}, { status: 'unconfirmed' });
      const err = await rejection(addUser(h, { username: 'third' }), SeatLimitReached);
      expect(err.message).to.equal('Seat limit reached: 2 of 2 user seats in use');
      expect(err.status).to.equal(403);
      expect(await userCount(h)).to.equal(2);
      expect(await users().findByLogin('third')).to.equal(null);
      const refusals = await auditEvents(h, { action: 'seats.limit_reached' });
      expect(refusals).to.have.length(1);
      expect(refusals[0]!.details).to.deep.equal({ pool: 'user', used: 2, limit: 2, attempted: 'third' });
      expect(await auditEvents(h, { action: 'user.created' })).to.have.length(2);
    });

    it('a limit of 0 refuses the first account', async () => {
      await setLimit(h, 0);
      const err = await rejection(addUser(h), SeatLimitReached);
      expect(err.message).to.equal('Seat limit reached: 0 of 0 user seats in use');
    });

    it('refuses an unconfirmed creation (registration takes a seat)', async () => {
      await setLimit(h, 1);
      await addUser(h);
      await rejection(addUser(h, {}, { status: 'unconfirmed' }), SeatLimitReached);
    });

    it('creating an inactive account takes no seat and is allowed', async () => {
      await setLimit(h, 1);
      await addUser(h);
      const u = await addUser(h, {}, { status: 'inactive', source: 'scim', origin: 'directory' });
      expect(u.status).to.equal('inactive');
      expect(await used(h)).to.equal(1);
    });

    it('refuses reactivation; the account stays inactive; the refusal is audited', async () => {
      await setLimit(h, 1);
      const sleeper = await addUser(h, {}, { status: 'inactive' });
      await addUser(h);
      const err = await rejection(users().reactivate(h.system(), sleeper.id), SeatLimitReached);
      expect(err.message).to.equal('Seat limit reached: 1 of 1 user seats in use');
      const after = await users().get(sleeper.id);
      expect(after.status).to.equal('inactive');
      expect(after.version).to.equal(sleeper.version);
      expect(await auditEvents(h, { action: 'user.reactivated' })).to.have.length(0);
      expect(await auditEvents(h, { action: 'seats.limit_reached' })).to.have.length(1);
    });

    it('refuses a kind change into it, whole: no field of that update changes', async () => {
      await setLimit(h, 1, 'requester');
      await addUser(h, { kind: 'requester' });
      const u = await addUser(h, { givenName: 'Before' });
      const err = await rejection(users().update(h.system(), u.id, { kind: 'requester', givenName: 'After' }, { origin: 'page' }), SeatLimitReached);
      expect(err.message).to.equal('Seat limit reached: 1 of 1 requester seats in use');
      const after = await users().get(u.id);
      expect(after).to.include({ kind: 'user', givenName: 'Before', version: u.version });
      expect(await auditEvents(h, { action: 'user.updated' })).to.have.length(0);
      expect(await auditEvents(h, { action: 'user.kind_changed' })).to.have.length(0);
      expect((await auditEvents(h, { action: 'seats.limit_reached' }))[0]!.details).to.include({ pool: 'requester', used: 1, limit: 1 });
    });

    it('an inactive account may change kind into a full pool (it holds no seat)', async () => {
      await setLimit(h, 0, 'requester');
      const u = await addUser(h, {}, { status: 'inactive' });
      expect((await users().update(h.system(), u.id, { kind: 'requester' }, { origin: 'page' })).kind).to.equal('requester');
      await rejection(users().reactivate(h.system(), u.id), SeatLimitReached);
    });

    it('existing accounts keep updating: profile, roles, confirmation, deactivation', async () => {
      await setLimit(h, 2);
      const a = await addUser(h);
      const b = await addUser(h, {}, { status: 'unconfirmed' });
      await users().update(h.system(), a.id, { givenName: 'Still', familyName: 'Editable', department: 'Ops' }, { origin: 'page' });
      await h.services.roles.setUserRoles(h.system(), a.id, [(await h.services.roles.builtin('member')).id], 'joined ops');
      await users().confirm(h.system(), b.id, { emailVerified: true });
      await users().deactivate(h.system(), b.id);
      expect((await users().get(a.id)).name).to.equal('Still Editable');
      expect(await auditEvents(h, { action: 'seats.limit_reached' })).to.have.length(0);
    });
  });

  describe('limits', () => {
    it('lowering a limit below use removes nobody and blocks new seats until use falls below it', async () => {
      const [a, b] = [await addUser(h), await addUser(h), await addUser(h)];
      await setLimit(h, 2);
      const usage = await h.services.seats.usage('user');
      expect(usage).to.include({ used: 3, limit: 2, overLimit: true, nearLimit: true });
      expect(await users().list({ status: 'active' })).to.have.length(3);
      const err = await rejection(addUser(h), SeatLimitReached);
      expect(err.message).to.equal('Seat limit reached: 3 of 2 user seats in use');
      await users().update(h.system(), a!.id, { title: 'Engineer' }, { origin: 'page' });
      await users().deactivate(h.system(), a!.id);
      await rejection(addUser(h), SeatLimitReached); // 2 of 2
      await users().delete(h.system(), b!.id);
      await addUser(h); // 1 of 2 → a seat is free
      expect(await used(h)).to.equal(2);
    });

    it('raising the limit or making it unlimited frees new seats', async () => {
      await setLimit(h, 1);
      await addUser(h);
      await rejection(addUser(h), SeatLimitReached);
      await setLimit(h, 2);
      await addUser(h);
      await setLimit(h, null);
      await addUser(h);
      expect(await used(h)).to.equal(3);
    });

    it('warns from 90%', async () => {
      await setLimit(h, 10);
      for (let i = 0; i < 8; i++) await addUser(h);
      expect((await h.services.seats.usage('user')).nearLimit).to.equal(false);
      await addUser(h);
      expect((await h.services.seats.usage('user')).nearLimit).to.equal(true);
    });

    it('refuses bad limits per field', async () => {
      for (const bad of [-1, 1.5, Number.NaN]) {
        const err = await rejection(h.services.seats.setLimit(h.system(), 'user', bad), ValidationError);
        expect(err.fields).to.have.keys('limit');
      }
      const err = await rejection(h.services.seats.setLimit(h.system(), 'robots' as 'user', 1), ValidationError);
      expect(err.fields).to.have.keys('pool');
    });
  });
});

describeEachDatabase(
  'seats: limit from configuration',
  (h) => {
    it('SEATS_USER fixes the user limit: setLimit is refused, the page shows it read-only, creation stops at it', async () => {
      const err = await rejection(h.services.seats.setLimit(h.system(), 'user', 10), ValidationError);
      expect(err.fields.limit).to.equal('The user seat limit is set by configuration (SEATS_USER) and cannot be changed here.');
      expect(await auditEvents(h, { action: 'seats.limit_changed' })).to.have.length(0);
      expect(await h.services.seats.usage('user')).to.include({ limit: 2, limitFromConfig: true });
      await addUser(h);
      await addUser(h);
      expect((await rejection(addUser(h), SeatLimitReached)).message).to.equal('Seat limit reached: 2 of 2 user seats in use');
    });

    it('the requester pool stays the owner\'s to set', async () => {
      await h.services.seats.setLimit(h.system(), 'requester', 1);
      expect(await h.services.seats.usage('requester')).to.include({ limit: 1, limitFromConfig: false });
    });
  },
  { env: { SEATS_USER: '2' } },
);
