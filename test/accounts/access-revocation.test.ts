// Deactivation and deletion end access at once, revoking sessions and
// tokens in the same transaction; if revocation fails, the change must not happen.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection, used } from './account-fixtures.js';

describeEachDatabase('accounts: access revocation', (h) => {
  it('deactivate calls the revoker inside its transaction', async () => {
    const u = await addUser(h);
    await h.services.users.deactivate(h.system(), u.id, 'offboarded');
    expect(h.revoker.calls).to.deep.equal([{ userId: u.id, reason: 'deactivated', inTransaction: true }]);
  });

  it('delete calls the revoker inside its transaction', async () => {
    const u = await addUser(h);
    await h.services.users.delete(h.system(), u.id);
    expect(h.revoker.calls).to.deep.equal([{ userId: u.id, reason: 'deleted', inTransaction: true }]);
  });

  it('neither creation, update, confirmation nor reactivation revoke anything', async () => {
    const u = await addUser(h, {}, { status: 'unconfirmed' });
    await h.services.users.confirm(h.system(), u.id, { emailVerified: true });
    await h.services.users.update(h.system(), u.id, { givenName: 'N' }, { origin: 'page' });
    const i = await addUser(h, {}, { status: 'inactive' });
    await h.services.users.reactivate(h.system(), i.id);
    expect(h.revoker.calls).to.have.length(0);
  });

  it('a failing revoker rolls deactivation back: still active, seat held, nothing audited', async () => {
    const u = await addUser(h);
    h.revoker.failWith = new Error('x');
    const err = await rejection(h.services.users.deactivate(h.system(), u.id, 'offboarded'), Error);
    expect(err.message).to.equal('x');
    const after = await h.services.users.get(u.id);
    expect(after).to.include({ status: 'active', deactivatedAt: null, deactivationReason: null, version: u.version });
    expect(await used(h)).to.equal(1);
    expect(await auditEvents(h, { action: 'user.deactivated' })).to.have.length(0);
  });

  it('a failing revoker rolls deletion back: the row and its roles remain, nothing audited', async () => {
    const member = await h.services.roles.builtin('member');
    const u = await addUser(h, {}, { roleIds: [member.id] });
    h.revoker.failWith = new Error('x');
    await rejection(h.services.users.delete(h.system(), u.id), Error);
    const after = await h.services.users.get(u.id);
    expect(after.roles.map((r) => r.name)).to.deep.equal(['Member']);
    expect(await auditEvents(h, { action: 'user.deleted' })).to.have.length(0);
  });

  it('after the revoker recovers, the same deactivation goes through', async () => {
    const u = await addUser(h);
    h.revoker.failWith = new Error('x');
    await rejection(h.services.users.deactivate(h.system(), u.id), Error);
    h.revoker.failWith = null;
    expect((await h.services.users.deactivate(h.system(), u.id)).status).to.equal('inactive');
    expect(h.revoker.calls.map((c) => c.inTransaction)).to.deep.equal([true, true]);
  });
});
