// A user's effective permissions are the union of their roles; nobody may
// grant a role or permission they do not hold themselves (no escalation through roles).
import { expect } from 'chai';
import { Forbidden } from '../../src/errors.js';
import { BUILT_IN_ROLES } from '../../src/roles/permission-catalogue.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, auditEvents, rejection, userCount } from './account-fixtures.js';

describeEachDatabase('accounts: granting roles and permissions', (h) => {
  const builtin = (key: 'owner' | 'admin' | 'member' | 'viewer') => h.services.roles.builtin(key);

  describe('union of roles', () => {
    it('Member plus a custom {"reports.export"} role holds exactly the union', async () => {
      const member = await builtin('member');
      const exporters = await h.services.roles.create(h.system(), { name: 'Exporters', permissions: ['reports.export'] });
      const u = await addUser(h, {}, { roleIds: [member.id, exporters.id] });
      const expected = [...BUILT_IN_ROLES.find((r) => r.key === 'member')!.permissions, 'reports.export'].sort();
      expect([...(await h.services.roles.permissionsOf(u.id))].sort()).to.deep.equal(expected);
      const actor = await h.services.roles.actorFor(u);
      expect(actor.userId).to.equal(u.id);
      expect(actor.label).to.equal(u.username);
      expect([...actor.permissions].sort()).to.deep.equal(expected);
    });

    it('an account without roles has no permissions', async () => {
      const u = await addUser(h);
      expect((await h.services.roles.permissionsOf(u.id)).size).to.equal(0);
    });

    it('a permission change on a role reaches every holder', async () => {
      const custom = await h.services.roles.create(h.system(), { name: 'Auditors', permissions: ['audit.view'] });
      const u = await addUser(h, {}, { roleIds: [custom.id] });
      await h.services.roles.setPermissions(h.system(), custom.id, ['audit.view', 'reports.view']);
      expect([...(await h.services.roles.permissionsOf(u.id))].sort()).to.deep.equal(['audit.view', 'reports.view']);
    });
  });

  describe('an admin (users.manage, roles.manage; no billing.manage, no seats.manage)', () => {
    async function setup() {
      await addOwner(h);
      const admin = await addWithRole(h, 'admin');
      const ctx = await h.as(admin);
      const billing = await h.services.roles.create(h.system(), { name: 'Billing', permissions: ['billing.manage', 'reports.view'] });
      const target = await addWithRole(h, 'viewer');
      return { admin, ctx, billing, target };
    }

    it('cannot give the Owner role', async () => {
      const { ctx, target } = await setup();
      await rejection(h.services.roles.setUserRoles(ctx, target.id, [(await builtin('owner')).id]), Forbidden);
    });

    it('cannot give a role carrying billing.manage through setUserRoles, and nothing changes', async () => {
      const { ctx, billing, target } = await setup();
      const viewer = await builtin('viewer');
      const err = await rejection(h.services.roles.setUserRoles(ctx, target.id, [viewer.id, billing.id], 'promotion'), Forbidden);
      expect(err.message).to.equal('You cannot give the role Billing: it carries permissions you do not hold (billing.manage).');
      expect((await h.services.users.get(target.id)).roles.map((r) => r.name)).to.deep.equal(['Viewer']);
      expect(await auditEvents(h, { action: 'user.roles_changed' })).to.have.length(0);
    });

    it('cannot give such a role when creating an account', async () => {
      const { ctx, billing } = await setup();
      const before = await userCount(h);
      await rejection(addUser(h, {}, { roleIds: [billing.id] }, ctx), Forbidden);
      expect(await userCount(h)).to.equal(before);
    });

    it('cannot create a custom role with a permission they lack', async () => {
      const { ctx } = await setup();
      const err = await rejection(h.services.roles.create(ctx, { name: 'Seat keepers', permissions: ['users.view', 'seats.manage'] }), Forbidden);
      expect(err.message).to.equal('You cannot grant permissions you do not hold (seats.manage).');
      expect(await h.services.roles.findByName('Seat keepers')).to.equal(null);
    });

    it('cannot add such a permission to a role, but may remove one', async () => {
      const { ctx } = await setup();
      const role = await h.services.roles.create(h.system(), { name: 'Helpdesk', permissions: ['users.view', 'billing.manage'] });
      await rejection(h.services.roles.setPermissions(ctx, role.id, ['users.view', 'billing.manage', 'seats.manage']), Forbidden);
      expect((await h.services.roles.get(role.id)).permissions).to.deep.equal(['billing.manage', 'users.view']);
      // Removing a permission grants nothing; keeping one they lack is not a grant either.
      const after = await h.services.roles.setPermissions(ctx, role.id, ['billing.manage']);
      expect(after.permissions).to.deep.equal(['billing.manage']);
    });

    it('cannot move holders of a deleted role onto a role carrying permissions they lack', async () => {
      const { ctx, billing } = await setup();
      const temp = await h.services.roles.create(h.system(), { name: 'Temp', permissions: ['reports.view'] });
      await addUser(h, {}, { roleIds: [temp.id] });
      await rejection(h.services.roles.delete(ctx, temp.id, { reassignTo: billing.id }), Forbidden);
      expect((await h.services.roles.get(temp.id)).holders).to.equal(1);
    });

    it('may give roles whose permissions they hold (Admin, Member, a custom subset)', async () => {
      const { ctx, target } = await setup();
      const custom = await h.services.roles.create(ctx, { name: 'Support', permissions: ['users.view', 'users.invite'] });
      const roles = await h.services.roles.setUserRoles(ctx, target.id, [(await builtin('admin')).id, (await builtin('member')).id, custom.id], 'team lead');
      expect(roles.map((r) => r.name)).to.deep.equal(['Admin', 'Member', 'Support']);
    });
  });

  it('an actor with only users.manage cannot even give Viewer (it carries users.view and more)', async () => {
    const target = await addUser(h);
    const ctx = h.withPermissions(['users.manage']);
    const err = await rejection(h.services.roles.setUserRoles(ctx, target.id, [(await builtin('viewer')).id]), Forbidden);
    expect(err.message).to.match(/^You cannot give the role Viewer: it carries permissions you do not hold \(/);
  });
});
