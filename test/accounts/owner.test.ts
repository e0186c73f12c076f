// Exactly one owner, not removable, demotable, deactivatable or deletable by
// anyone else; ownership moves only by an explicit transfer by the owner.
import { expect } from 'chai';
import { Conflict, Forbidden, InvalidTransition, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, auditEvents, rejection } from './account-fixtures.js';

describeEachDatabase('accounts: the owner', (h) => {
  const roleNames = async (id: string) => (await h.services.users.get(id)).roles.map((r) => r.name);
  const ownerRole = () => h.services.roles.builtin('owner');
  const adminRole = () => h.services.roles.builtin('admin');

  it('createOwner makes the one owner, holding every catalogue permission', async () => {
    const owner = await addOwner(h);
    expect(await roleNames(owner.id)).to.deep.equal(['Owner']);
    expect(await h.services.roles.ownerId()).to.equal(owner.id);
    const perms = await h.services.roles.permissionsOf(owner.id);
    expect(perms.has('seats.manage') && perms.has('billing.manage') && perms.has('users.manage')).to.equal(true);
  });

  it('a second createOwner is refused', async () => {
    await addOwner(h);
    await rejection(addOwner(h), Conflict);
    expect((await ownerRole()).holders).to.equal(1);
  });

  it('cannot be deactivated or deleted, even by the system', async () => {
    const owner = await addOwner(h);
    const d = await rejection(h.services.users.deactivate(h.system(), owner.id, 'no'), Forbidden);
    expect(d.message).to.equal('The owner cannot be deactivated. Transfer ownership first.');
    const x = await rejection(h.services.users.delete(h.system(), owner.id), Forbidden);
    expect(x.message).to.equal('The owner cannot be deleted. Transfer ownership first.');
    expect((await h.services.users.get(owner.id)).status).to.equal('active');
    expect(h.revoker.calls).to.have.length(0);
  });

  it('cannot lose the owner role through setUserRoles', async () => {
    const owner = await addOwner(h);
    const admin = await adminRole();
    const err = await rejection(h.services.roles.setUserRoles(h.system(), owner.id, [admin.id]), Forbidden);
    expect(err.message).to.equal('The owner role cannot be removed; the owner can transfer ownership instead.');
    await rejection(h.services.roles.setUserRoles(await h.as(owner), owner.id, []), Forbidden);
    expect(await roleNames(owner.id)).to.deep.equal(['Owner']);
  });

  it('the owner may hold more roles beside Owner', async () => {
    const owner = await addOwner(h);
    const custom = await h.services.roles.create(h.system(), { name: 'Reporters', permissions: ['reports.export'] });
    await h.services.roles.setUserRoles(h.system(), owner.id, [(await ownerRole()).id, custom.id]);
    expect(await roleNames(owner.id)).to.deep.equal(['Owner', 'Reporters']);
  });

  it('the owner role cannot be granted through setUserRoles or on create, even by the owner', async () => {
    const owner = await addOwner(h);
    const other = await addUser(h);
    const role = await ownerRole();
    const a = await rejection(h.services.roles.setUserRoles(await h.as(owner), other.id, [role.id]), Forbidden);
    expect(a.message).to.equal('The owner role is only given by transferring ownership.');
    await rejection(h.services.roles.setUserRoles(h.system(), other.id, [role.id]), Forbidden);
    const before = await h.services.models.User.count();
    await rejection(addUser(h, {}, { roleIds: [role.id] }), Forbidden);
    await rejection(addUser(h, {}, { roleIds: [role.id] }, await h.as(owner)), Forbidden);
    expect(await h.services.models.User.count()).to.equal(before);
    expect((await ownerRole()).holders).to.equal(1);
  });

  describe('transfer', () => {
    it('the owner transfers to an active account: old owner becomes Admin, new one Owner', async () => {
      const owner = await addOwner(h);
      const heir = await addWithRole(h, 'member');
      await h.services.roles.transferOwnership(await h.as(owner), heir.id);
      expect(await roleNames(owner.id)).to.deep.equal(['Admin']);
      expect(await roleNames(heir.id)).to.deep.equal(['Member', 'Owner']);
      expect(await h.services.roles.ownerId()).to.equal(heir.id);
      expect((await ownerRole()).holders).to.equal(1);
      const [event] = await auditEvents(h, { action: 'owner.transferred' });
      expect(event!.actorId).to.equal(owner.id);
      expect(event!.target).to.deep.equal({ type: 'user', id: heir.id, label: heir.username });
      expect(event!.details).to.deep.equal({ from: owner.username, to: heir.username });
    });

    it('after a transfer the former owner can be deactivated, the new one cannot', async () => {
      const owner = await addOwner(h);
      const heir = await addUser(h);
      await h.services.roles.transferOwnership(await h.as(owner), heir.id);
      await h.services.users.deactivate(await h.as(heir), owner.id, 'handed over');
      await rejection(h.services.users.deactivate(h.system(), heir.id), Forbidden);
    });

    it('an admin cannot transfer ownership, nor can the system', async () => {
      const owner = await addOwner(h);
      const admin = await addWithRole(h, 'admin');
      const err = await rejection(h.services.roles.transferOwnership(await h.as(admin), admin.id), Forbidden);
      expect(err.message).to.equal('Only the owner can transfer ownership.');
      await rejection(h.services.roles.transferOwnership(h.system(), admin.id), Forbidden);
      expect(await h.services.roles.ownerId()).to.equal(owner.id);
    });

    it('the target must be active (not inactive, not unconfirmed) and not the owner', async () => {
      const owner = await addOwner(h);
      const inactive = await addUser(h, {}, { status: 'inactive' });
      const unconfirmed = await addUser(h, {}, { status: 'unconfirmed' });
      const asOwner = await h.as(owner);
      const err = await rejection(h.services.roles.transferOwnership(asOwner, inactive.id), InvalidTransition);
      expect(err.message).to.equal('Ownership can only go to an active account.');
      await rejection(h.services.roles.transferOwnership(asOwner, unconfirmed.id), InvalidTransition);
      await rejection(h.services.roles.transferOwnership(asOwner, owner.id), ValidationError);
      expect(await roleNames(owner.id)).to.deep.equal(['Owner']);
      expect(await auditEvents(h, { action: 'owner.transferred' })).to.have.length(0);
    });

    it('the former owner cannot transfer again', async () => {
      const owner = await addOwner(h);
      const heir = await addUser(h);
      const third = await addUser(h);
      await h.services.roles.transferOwnership(await h.as(owner), heir.id);
      await rejection(h.services.roles.transferOwnership(await h.as(owner), third.id), Forbidden);
      expect(await h.services.roles.ownerId()).to.equal(heir.id);
    });
  });
});
