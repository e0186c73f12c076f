// Custom roles are created, renamed, given permissions (any well-formed
// string) and deleted (refused while assigned unless holders are reassigned); built-in
// roles are fixed. Pages warn while only one active account holds users.manage.
import { expect } from 'chai';
import { Conflict, Forbidden, InvalidTransition, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, addWithRole, auditEvents, rejection } from './account-fixtures.js';

describeEachDatabase('accounts: custom roles', (h) => {
  const roles = () => h.services.roles;

  it('creates a role with catalogue and free-form permissions, sorted and de-duplicated', async () => {
    const role = await roles().create(h.system(), { name: '  Field Team ', permissions: ['reports.export', 'assets.view', 'reports.export', ' crm:deals.read '] });
    expect(role.name).to.equal('Field Team');
    expect(role.builtin).to.equal(null);
    expect(role.permissions).to.deep.equal(['assets.view', 'crm:deals.read', 'reports.export']);
    expect(role.holders).to.equal(0);
  });

  it('role names are unique case-insensitively, including the built-ins', async () => {
    await roles().create(h.system(), { name: 'Field Team' });
    const err = await rejection(roles().create(h.system(), { name: 'FIELD team' }), Conflict);
    expect(err.field).to.equal('name');
    await rejection(roles().create(h.system(), { name: 'admin' }), Conflict);
  });

  it('refuses invalid permission strings and empty names, per field', async () => {
    const err = await rejection(roles().create(h.system(), { name: '', permissions: ['has space'] }), ValidationError);
    expect(err.fields).to.have.keys('name', 'permissions');
    expect(err.fields.permissions).to.equal('"has space" is not a valid permission: use letters, digits and . _ : - (up to 100 characters).');
    for (const bad of ['.starts.with.dot', 'x'.repeat(101), 'emoji✓', 'a/b']) {
      await rejection(roles().create(h.system(), { name: 'R', permissions: [bad] }), ValidationError);
    }
    const role = await roles().create(h.system(), { name: 'Ok' });
    await rejection(roles().setPermissions(h.system(), role.id, ['users.view', 'bad permission']), ValidationError);
    expect((await roles().get(role.id)).permissions).to.deep.equal([]);
  });

  it('renames, keeping names unique case-insensitively; a case-only rename of itself is fine', async () => {
    const a = await roles().create(h.system(), { name: 'Alpha' });
    await roles().create(h.system(), { name: 'Beta' });
    expect((await roles().rename(h.system(), a.id, 'Gamma')).name).to.equal('Gamma');
    expect((await rejection(roles().rename(h.system(), a.id, 'BETA'), Conflict)).field).to.equal('name');
    expect((await roles().rename(h.system(), a.id, 'GAMMA')).name).to.equal('GAMMA');
    expect((await roles().findByName('gamma'))!.id).to.equal(a.id);
  });

  it('sets permissions, recording what was added and removed', async () => {
    const role = await roles().create(h.system(), { name: 'Ops', permissions: ['assets.view', 'assets.edit'] });
    const after = await roles().setPermissions(h.system(), role.id, ['assets.view', 'licenses.view']);
    expect(after.permissions).to.deep.equal(['assets.view', 'licenses.view']);
    expect(after.version).to.equal(role.version + 1);
    const [event] = await auditEvents(h, { action: 'role.permissions_changed' });
    expect(event!.details).to.deep.equal({ added: ['licenses.view'], removed: ['assets.edit'] });
  });

  describe('delete', () => {
    it('deletes an unassigned role', async () => {
      const role = await roles().create(h.system(), { name: 'Unused' });
      await roles().delete(h.system(), role.id);
      expect(await roles().findByName('Unused')).to.equal(null);
    });

    it('is refused while assigned, naming the holders count', async () => {
      const role = await roles().create(h.system(), { name: 'Held' });
      await addUser(h, {}, { roleIds: [role.id] });
      await addUser(h, {}, { roleIds: [role.id] });
      const err = await rejection(roles().delete(h.system(), role.id), InvalidTransition);
      expect(err.message).to.equal('The role Held is held by 2 account(s). Choose a role to give them instead, then delete it.');
      expect((await roles().get(role.id)).holders).to.equal(2);
    });

    it('with reassignTo moves the holders onto the other role, then deletes', async () => {
      const role = await roles().create(h.system(), { name: 'Old team' });
      const member = await roles().builtin('member');
      const u = await addUser(h, {}, { roleIds: [role.id] });
      const both = await addUser(h, {}, { roleIds: [role.id, member.id] });
      await roles().delete(h.system(), role.id, { reassignTo: member.id });
      expect((await h.services.users.get(u.id)).roles.map((r) => r.name)).to.deep.equal(['Member']);
      expect((await h.services.users.get(both.id)).roles.map((r) => r.name)).to.deep.equal(['Member']);
      expect(await roles().findByName('Old team')).to.equal(null);
      const [event] = await auditEvents(h, { action: 'role.deleted' });
      expect(event!.details).to.deep.equal({ holders: 2, reassignedTo: member.id });
    });

    it('refuses reassigning to itself or to the Owner role', async () => {
      const role = await roles().create(h.system(), { name: 'Loop' });
      await addUser(h, {}, { roleIds: [role.id] });
      await rejection(roles().delete(h.system(), role.id, { reassignTo: role.id }), ValidationError);
      await rejection(roles().delete(h.system(), role.id, { reassignTo: (await roles().builtin('owner')).id }), Forbidden);
      expect((await roles().get(role.id)).holders).to.equal(1);
    });
  });

  describe('built-in roles are fixed', () => {
    for (const key of ['owner', 'admin', 'member', 'viewer'] as const) {
      it(`${key}: cannot be renamed, edited or deleted`, async () => {
        const role = await roles().builtin(key);
        const attempts = [
          () => roles().rename(h.system(), role.id, 'Renamed'),
          () => roles().setPermissions(h.system(), role.id, ['users.view']),
          () => roles().delete(h.system(), role.id),
        ];
        for (const attempt of attempts) {
          const err = await rejection(attempt(), Forbidden);
          expect(err.message).to.equal(`The built-in role ${role.name} cannot be changed or deleted.`);
        }
        const after = await roles().builtin(key);
        expect(after.name).to.equal(role.name);
        expect(after.permissions).to.deep.equal(role.permissions);
      });
    }
  });

  describe('soleUserManager (keep a backup administrator)', () => {
    it('true with one active admin, false with two, true again after deactivating one', async () => {
      const a = await addWithRole(h, 'admin');
      expect(await roles().soleUserManager()).to.equal(true);
      await addWithRole(h, 'admin');
      expect(await roles().soleUserManager()).to.equal(false);
      await h.services.users.deactivate(h.system(), a.id);
      expect(await roles().soleUserManager()).to.equal(true);
    });

    it('counts a custom role carrying users.manage, and an account holding two such roles once', async () => {
      const managers = await roles().create(h.system(), { name: 'Managers', permissions: ['users.manage'] });
      const admin = await roles().builtin('admin');
      await addUser(h, {}, { roleIds: [admin.id, managers.id] });
      expect(await roles().soleUserManager()).to.equal(true);
      await addUser(h, {}, { roleIds: [managers.id] });
      expect(await roles().soleUserManager()).to.equal(false);
    });

    it('does not count unconfirmed admins', async () => {
      await addWithRole(h, 'admin');
      const admin = await roles().builtin('admin');
      await addUser(h, {}, { roleIds: [admin.id], status: 'unconfirmed' });
      expect(await roles().soleUserManager()).to.equal(true);
    });
  });
});
