// The account state machine and the actions each status allows. Each allowed
// transition lands in the right status; each forbidden one is refused with InvalidTransition
// and a message naming the current status, and changes nothing.
import { expect } from 'chai';
import { InvalidTransition } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection } from './account-fixtures.js';
import { addressOf } from '../../src/users/user-presenter.js';

describeEachDatabase('accounts: status transitions', (h) => {
  describe('creation', () => {
    it('creates active accounts by default', async () => {
      const u = await addUser(h);
      expect(u.status).to.equal('active');
      expect(u.deactivatedAt).to.equal(null);
    });

    it('creates unconfirmed accounts (registration, admin add with "confirmed" off)', async () => {
      const u = await addUser(h, {}, { status: 'unconfirmed' });
      expect(u.status).to.equal('unconfirmed');
    });

    it('creates inactive accounts (SCIM active=false) with a deactivation time', async () => {
      const u = await addUser(h, {}, { status: 'inactive', source: 'scim', origin: 'directory' });
      expect(u.status).to.equal('inactive');
      expect(u.deactivatedAt).to.be.instanceOf(Date);
    });
  });

  describe('allowed transitions', () => {
    it('confirm: unconfirmed → active, recording emailVerified', async () => {
      const u = await addUser(h, {}, { status: 'unconfirmed' });
      const confirmed = await h.services.users.confirm(h.system(), u.id, { emailVerified: true });
      expect(confirmed.status).to.equal('active');
      expect(confirmed.emailVerified).to.equal(true);
      expect(confirmed.version).to.equal(u.version + 1);
    });

    it('deactivate: active → inactive, keeping the reason and the time', async () => {
      const u = await addUser(h);
      const d = await h.services.users.deactivate(h.system(), u.id, '  Left the company  ');
      expect(d.status).to.equal('inactive');
      expect(d.deactivationReason).to.equal('Left the company');
      expect(d.deactivatedAt!.toISOString()).to.equal(h.clock.now().toISOString());
    });

    it('reactivate: inactive → active, clearing the reason', async () => {
      const u = await addUser(h);
      await h.services.users.deactivate(h.system(), u.id, 'leave');
      const r = await h.services.users.reactivate(h.system(), u.id);
      expect(r.status).to.equal('active');
      expect(r.deactivatedAt).to.equal(null);
      expect(r.deactivationReason).to.equal(null);
    });

    for (const status of ['active', 'unconfirmed', 'inactive'] as const) {
      it(`delete: removes a ${status} account`, async () => {
        const u = await addUser(h, {}, { status });
        await h.services.users.delete(h.system(), u.id);
        expect(await h.services.users.findByLogin(addressOf(u))).to.equal(null);
      });
    }
  });

  describe('forbidden transitions', () => {
    it('confirming an active account is refused', async () => {
      const u = await addUser(h);
      const err = await rejection(h.services.users.confirm(h.system(), u.id, { emailVerified: true }), InvalidTransition);
      expect(err.message).to.equal('Only unconfirmed accounts can be confirmed; this one is active.');
    });

    it('confirming an inactive account is refused', async () => {
      const u = await addUser(h, {}, { status: 'inactive' });
      const err = await rejection(h.services.users.confirm(h.system(), u.id, { emailVerified: true }), InvalidTransition);
      expect(err.message).to.equal('Only unconfirmed accounts can be confirmed; this one is inactive.');
    });

    it('deactivating an inactive account is refused', async () => {
      const u = await addUser(h, {}, { status: 'inactive' });
      const err = await rejection(h.services.users.deactivate(h.system(), u.id, 'again'), InvalidTransition);
      expect(err.message).to.equal('Only active accounts can be deactivated; this one is inactive.');
    });

    it('deactivating an unconfirmed account is refused (delete it instead)', async () => {
      const u = await addUser(h, {}, { status: 'unconfirmed' });
      const err = await rejection(h.services.users.deactivate(h.system(), u.id), InvalidTransition);
      expect(err.message).to.equal('Only active accounts can be deactivated; this one is unconfirmed.');
    });

    it('reactivating an active account is refused', async () => {
      const u = await addUser(h);
      const err = await rejection(h.services.users.reactivate(h.system(), u.id), InvalidTransition);
      expect(err.message).to.equal('Only inactive accounts can be reactivated; this one is active.');
    });

    it('reactivating an unconfirmed account is refused', async () => {
      const u = await addUser(h, {}, { status: 'unconfirmed' });
      const err = await rejection(h.services.users.reactivate(h.system(), u.id), InvalidTransition);
      expect(err.message).to.equal('Only inactive accounts can be reactivated; this one is unconfirmed.');
    });

    it('a refused transition changes nothing and audits nothing', async () => {
      const u = await addUser(h);
      const before = (await auditEvents(h, { targetId: u.id })).length;
      await rejection(h.services.users.reactivate(h.system(), u.id), InvalidTransition);
      await rejection(h.services.users.confirm(h.system(), u.id, { emailVerified: true }), InvalidTransition);
      const after = await h.services.users.get(u.id);
      expect(after.status).to.equal('active');
      expect(after.version).to.equal(u.version);
      expect(await auditEvents(h, { targetId: u.id })).to.have.length(before);
    });
  });
});
