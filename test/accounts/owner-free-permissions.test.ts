// The owner holds every permission, free-form strings included: only the owner can
// introduce a permission string that no role carries yet; an admin cannot.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { Forbidden } from '../../src/errors.js';
import { addOwner, addWithRole } from './account-fixtures.js';

describeEachDatabase('free-form permission strings', (h) => {
  it('the owner may grant a new string; an admin may not', async () => {
    const owner = await addOwner(h);
    const role = await h.services.roles.create(await h.as(owner), { name: 'Finance', permissions: ['finance.approve'] });
    expect(role.permissions).to.deep.equal(['finance.approve']);
    const admin = await addWithRole(h, 'admin');
    const err = await h.services.roles.create(await h.as(admin), { name: 'Treasury', permissions: ['treasury.move'] }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Forbidden);
    const actor = await h.services.roles.actorFor(owner);
    // The wildcard lives on the actor only: tokens list the owner's real permission strings.
    expect([...(await h.services.roles.permissionsOf(owner.id))]).to.not.include('*');
    expect(actor.permissions.has('*')).to.equal(true);
  });
});
