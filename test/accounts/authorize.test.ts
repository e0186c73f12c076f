// Services check named permissions with authorize() and refuse with a
// typed Forbidden naming the permission, before touching anything.
import { expect } from 'chai';
import { Forbidden } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, addWithRole, auditEvents, rejection } from './account-fixtures.js';

describeEachDatabase('accounts: authorize', (h) => {
  async function refused(permission: string, attempt: () => Promise<unknown>): Promise<void> {
    const err = await rejection(attempt(), Forbidden);
    expect(err.permission).to.equal(permission);
    expect(err.message).to.equal(`You need the "${permission}" permission to do that.`);
    expect(err.status).to.equal(403);
  }

  it('user changes need users.manage', async () => {
    const target = await addUser(h);
    const inactive = await addUser(h, {}, { status: 'inactive' });
    const unconfirmed = await addUser(h, {}, { status: 'unconfirmed' });
    // Everything an admin holds except users.manage.
    const ctx = h.withPermissions(['users.view', 'users.invite', 'roles.manage', 'settings.manage', 'seats.manage']);
    const users = h.services.users;
    await refused('users.manage', () => users.create(ctx, { email: 'new@example.com' }, { source: 'admin', origin: 'page' }));
    await refused('users.manage', () => users.update(ctx, target.id, { givenName: 'X' }, { origin: 'page' }));
    await refused('users.manage', () => users.deactivate(ctx, target.id));
    await refused('users.manage', () => users.reactivate(ctx, inactive.id));
    await refused('users.manage', () => users.confirm(ctx, unconfirmed.id, { emailVerified: false }));
    await refused('users.manage', () => users.delete(ctx, target.id));
    await refused('users.manage', () => users.setPassword(ctx, target.id, 'a long enough passphrase'));
    await refused('users.manage', () => h.services.roles.setUserRoles(ctx, target.id, []));
    expect(await h.services.users.list()).to.have.length(3);
    expect((await h.services.users.get(target.id)).version).to.equal(target.version);
    expect(await auditEvents(h, { targetId: target.id })).to.have.length(1); // only its creation
  });

  it('a user may edit their own names, phone and locale without users.manage, but not the rest', async () => {
    const self = await addUser(h, { username: 'selfie' });
    const ctx = h.withPermissions(['users.view'], self.id);
    const after = await h.services.users.update(ctx, self.id, { givenName: 'Sam', phone: '+441632960961', locale: 'en-GB' }, { origin: 'page' });
    expect(after.givenName).to.equal('Sam');
    await refused('users.manage', () => h.services.users.update(ctx, self.id, { email: 'other@example.com' }, { origin: 'page' }));
    await refused('users.manage', () => h.services.users.update(ctx, self.id, { kind: 'requester' }, { origin: 'page' }));
    await refused('users.manage', () => h.services.users.deactivate(ctx, self.id));
  });

  it('role changes need roles.manage', async () => {
    const role = await h.services.roles.create(h.system(), { name: 'Existing' });
    const ctx = h.withPermissions(['users.view', 'users.manage']);
    await refused('roles.manage', () => h.services.roles.create(ctx, { name: 'New' }));
    await refused('roles.manage', () => h.services.roles.rename(ctx, role.id, 'Renamed'));
    await refused('roles.manage', () => h.services.roles.setPermissions(ctx, role.id, ['users.view']));
    await refused('roles.manage', () => h.services.roles.delete(ctx, role.id));
    expect((await h.services.roles.get(role.id)).name).to.equal('Existing');
  });

  it('seat limits need seats.manage, which admins do not hold', async () => {
    const admin = await addWithRole(h, 'admin');
    await refused('seats.manage', async () => h.services.seats.setLimit(await h.as(admin), 'user', 5));
    await refused('seats.manage', () => h.services.seats.setLimit(h.withPermissions(['users.manage']), 'requester', null));
    expect((await h.services.seats.usage('user')).limit).to.equal(null);
  });
});
