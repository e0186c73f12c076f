// Every change is audited with a typed
// event name, its actor, source and IP, in the same transaction. A deleted account's
// events stay, labelled, as the "deleted user" trail.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, auditEvents } from './account-fixtures.js';

describeEachDatabase('accounts: audit trail', (h) => {
  it('user.created, user.updated, user.kind_changed, user.deactivated, user.reactivated, user.confirmed carry actor and details', async () => {
    const admin = await addWithRole(h, 'admin', { username: 'the-admin' });
    const ctx = await h.as(admin);
    const member = await h.services.roles.builtin('member');
    const u = await addUser(h, { username: 'subject', kind: 'user' }, { status: 'unconfirmed', roleIds: [member.id] }, ctx);
    await h.services.users.confirm(ctx, u.id, { emailVerified: false });
    await h.services.users.update(ctx, u.id, { givenName: 'Sub', kind: 'requester' }, { origin: 'page' });
    await h.services.users.deactivate(ctx, u.id, 'contract ended');
    await h.services.users.reactivate(ctx, u.id);

    const events = await auditEvents(h, { targetId: u.id });
    expect(events.map((e) => e.action)).to.deep.equal(['user.created', 'user.confirmed', 'user.updated', 'user.kind_changed', 'user.deactivated', 'user.reactivated']);
    for (const e of events) {
      expect(e).to.include({ actorId: admin.id, actorLabel: 'the-admin', source: 'admin', ip: '127.0.0.1' });
      expect(e.target).to.deep.equal({ type: 'user', id: u.id, label: 'subject' });
    }
    const by = (action: string) => events.find((e) => e.action === action)!.details;
    expect(by('user.created')).to.deep.equal({ source: 'admin', status: 'unconfirmed', kind: 'user', roles: ['Member'] });
    expect(by('user.confirmed')).to.deep.equal({ emailVerified: false });
    expect(by('user.updated')).to.deep.equal({ fields: ['givenName', 'kind'] });
    expect(by('user.kind_changed')).to.deep.equal({ from: 'user', to: 'requester' });
    expect(by('user.deactivated')).to.deep.equal({ reason: 'contract ended' });
  });

  it('an update that changes nothing is not audited and keeps the version', async () => {
    const u = await addUser(h, { givenName: 'Same' });
    const after = await h.services.users.update(h.system(), u.id, { givenName: 'Same' }, { origin: 'page' });
    expect(after.version).to.equal(u.version);
    expect(await auditEvents(h, { action: 'user.updated' })).to.have.length(0);
  });

  it('user.roles_changed records added, removed and the reason', async () => {
    const u = await addWithRole(h, 'viewer');
    const member = await h.services.roles.builtin('member');
    await h.services.roles.setUserRoles(h.system(), u.id, [member.id], 'promoted after training');
    const [event] = await auditEvents(h, { action: 'user.roles_changed' });
    expect(event!.details).to.deep.equal({ added: ['Member'], removed: ['Viewer'], reason: 'promoted after training' });
    expect(event!.target).to.deep.include({ id: u.id });
  });

  it('role.created, role.renamed, role.permissions_changed, role.deleted', async () => {
    const role = await h.services.roles.create(h.system(), { name: 'Temp', permissions: ['reports.view'] });
    await h.services.roles.rename(h.system(), role.id, 'Temporary');
    await h.services.roles.setPermissions(h.system(), role.id, ['reports.view', 'assets.view']);
    await h.services.roles.delete(h.system(), role.id);
    const events = await auditEvents(h, { targetId: role.id });
    expect(events.map((e) => [e.action, e.details])).to.deep.equal([
      ['role.created', { permissions: ['reports.view'] }],
      ['role.renamed', { from: 'Temp', to: 'Temporary' }],
      ['role.permissions_changed', { added: ['assets.view'], removed: [] }],
      ['role.deleted', { holders: 0, reassignedTo: null }],
    ]);
    expect(events.every((e) => e.target!.type === 'role')).to.equal(true);
  });

  it('owner.transferred and seats.limit_changed', async () => {
    const owner = await addOwner(h);
    const heir = await addUser(h);
    await h.services.seats.setLimit(await h.as(owner), 'requester', 25);
    await h.services.seats.setLimit(await h.as(owner), 'requester', null);
    await h.services.roles.transferOwnership(await h.as(owner), heir.id);
    const limits = await auditEvents(h, { action: 'seats.limit_changed' });
    expect(limits.map((e) => e.details)).to.deep.equal([
      { pool: 'requester', from: null, to: 25 },
      { pool: 'requester', from: 25, to: null },
    ]);
    expect(limits[0]!.target).to.deep.equal({ type: 'seat_pool', id: 'requester', label: 'requester' });
    expect(limits[0]!.actorId).to.equal(owner.id);
    expect(await auditEvents(h, { action: 'owner.transferred' })).to.have.length(1);
  });

  it('a deleted account leaves its trail, labelled, and user.deleted keeps who it was', async () => {
    const admin = await addWithRole(h, 'admin');
    const ctx = await h.as(admin);
    const u = await addUser(h, { username: 'leaver', email: 'leaver@example.com' }, {}, ctx);
    await h.services.users.update(ctx, u.id, { title: 'Analyst' }, { origin: 'page' });
    await h.services.users.delete(ctx, u.id);

    expect(await h.services.models.User.findByPk(u.id)).to.equal(null);
    expect(await h.services.models.UserRole.count({ where: { userId: u.id } })).to.equal(0);
    const trail = await h.services.audit.forTarget(u.id);
    expect(trail.map((e) => e.action)).to.deep.equal(['user.deleted', 'user.updated', 'user.created']);
    for (const e of trail) expect(e.target).to.deep.equal({ type: 'user', id: u.id, label: 'leaver' });
    expect(trail[0]!.details).to.deep.equal({ username: 'leaver', email: 'leaver@example.com', status: 'active' });
    expect(trail[0]!.actorId).to.equal(admin.id);
  });

  it('the deleted account\'s username and email are free again', async () => {
    const u = await addUser(h, { username: 'reuse', email: 'reuse@example.com' });
    await h.services.users.delete(h.system(), u.id);
    const again = await addUser(h, { username: 'reuse', email: 'reuse@example.com' });
    expect(again.id).to.not.equal(u.id);
  });
});
