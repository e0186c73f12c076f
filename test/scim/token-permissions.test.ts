// SCIM tokens carry a permission set chosen at creation, a subset of the creator's
// (docs/permissions.md), and act with the set ∩ the creator's current permissions:
// a token made by a users.view + scim.manage account cannot provision; a creator who loses
// a permission orphans the token (it acts with less, scim.manage holders are mailed); a
// deactivated creator stops it (401 saying why) until an admin holding the set adopts it,
// secret unchanged.
import { expect } from 'chai';
import { Forbidden, InvalidTransition, ValidationError } from '../../src/errors.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { describeEachDatabase } from '../helpers/harness.js';
import type { Harness } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, rejection } from '../accounts/account-fixtures.js';
import { auditOf, ERROR_URN, GROUP_URN, json, patchOp, scimClient, USER_URN } from './scim-fixtures.js';

const newUser = (n: string) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }] });

async function holding(h: Harness, permissions: string[], username: string): Promise<UserView> {
  const role = await h.services.roles.create(h.system(), { name: `Role of ${username}`, permissions });
  return addUser(h, { username, email: `${username}@example.com` }, { roleIds: [role.id] });
}

async function orphanMail(h: Harness) {
  return (await h.services.models.MailOutbox.findAll({ where: { template: 'scim-token-orphaned' }, order: [['toAddress', 'ASC']] })).map((m) => ({ to: m.toAddress, subject: m.subject, text: m.textBody }));
}

describeEachDatabase('SCIM: token permission sets', (h) => {
  it('a token made by a users.view + scim.manage account reads but cannot create users or groups or set an Admin password', async () => {
    const weak = await holding(h, ['users.view', 'scim.manage'], 'weak');
    const { token, view } = await h.services.scimTokens.create(await h.as(weak), 'Weak directory');
    expect(view.permissions).to.deep.equal(['scim.manage', 'users.view']);
    const admin = await addWithRole(h, 'admin', { username: 'theadmin' });
    const scim = scimClient(h, token);

    await scim.get('/Users').expect(200);
    for (const res of [
      await scim.post('/Users', newUser('intruder')),
      await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Intruders' }),
      await scim.patch(`/Users/${admin.id}`, patchOp({ op: 'replace', path: 'password', value: 'a new password for the admin 42' })),
    ]) {
      expect(res.status, res.text).to.equal(403);
      expect(json(res).schemas).to.deep.equal([ERROR_URN]);
      expect(json(res).detail).to.match(/users\.manage|roles\.manage/);
    }
    expect(await h.services.users.findByLogin('intruder')).to.equal(null);
    expect(await h.services.roles.findByName('Intruders')).to.equal(null);
    expect(await h.services.users.passwordHashOf(admin.id)).to.equal(null);
  });

  it('defaults to every permission the creator holds except seats.manage and billing.manage; a chosen set never exceeds the creator', async () => {
    const owner = await addOwner(h);
    const ownerToken = await h.services.scimTokens.create(await h.as(owner), 'Owner directory');
    expect(ownerToken.view.permissions).to.include.members(['users.manage', 'roles.manage', 'scim.manage', 'directory.manage', 'data.export']);
    expect(ownerToken.view.permissions).not.to.include.oneOf(['seats.manage', 'billing.manage', '*']);
    // The owner may choose them explicitly.
    const withSeats = await h.services.scimTokens.create(await h.as(owner), 'Seats directory', ['users.manage', 'seats.manage']);
    expect(withSeats.view.permissions).to.deep.equal(['seats.manage', 'users.manage']);

    const admin = await addWithRole(h, 'admin');
    const adminRole = await h.services.roles.builtin('admin');
    expect((await h.services.scimTokens.create(await h.as(admin), 'Admin directory')).view.permissions).to.deep.equal([...adminRole.permissions].sort());
    const over = await rejection(h.services.scimTokens.create(await h.as(admin), 'Too much', ['users.manage', 'seats.manage']), Forbidden);
    expect(over.message).to.contain('seats.manage');
    await rejection(h.services.scimTokens.create(await h.as(admin), 'Nothing', []), ValidationError);
    await rejection(h.services.scimTokens.create(await h.as(admin), 'Bad', ['not a permission']), ValidationError);
    // The command line has no account: its default is the catalogue but seats and billing.
    const cli = await h.services.scimTokens.create(h.system(), 'CLI directory');
    expect(cli.view.permissions).to.deep.equal([...adminRole.permissions].sort());
    expect(cli.view.createdById).to.equal(null);
    expect((await auditOf(h, 'scim_token.created')).find((e) => e.target?.label === 'Seats directory')?.details.permissions).to.deep.equal(['seats.manage', 'users.manage']);
  });

  it('acts with its set ∩ the creator\'s current permissions: a permission taken from the creator is gone from the token, which shows as orphaned', async () => {
    const owner = await addOwner(h);
    const role = await h.services.roles.create(h.system(), { name: 'Provisioners', permissions: ['users.view', 'users.manage', 'scim.manage'] });
    const creator = await addUser(h, { username: 'creator', email: 'creator@example.com' }, { roleIds: [role.id] });
    const { token, view } = await h.services.scimTokens.create(await h.as(creator), 'Entra ID', ['users.view', 'users.manage']);
    const scim = scimClient(h, token);
    await scim.post('/Users', newUser('ann')).expect(201);
    expect(await orphanMail(h)).to.deep.equal([]);

    await h.services.roles.setPermissions(h.system(), role.id, ['users.view', 'scim.manage']);
    const refused = await scim.post('/Users', newUser('ben')).expect(403);
    expect(json(refused).detail).to.contain('users.manage');
    await scim.get('/Users').expect(200);

    const listed = (await h.services.scimTokens.list(h.system())).find((t) => t.id === view.id)!;
    expect(listed).to.include({ status: 'orphaned', statusReason: 'its creator creator no longer holds users.manage' });
    expect(listed.effectivePermissions).to.deep.equal(['users.view']);
    expect(listed.permissions).to.deep.equal(['users.manage', 'users.view']);
    // Noticed in the role change's own transaction: the holders of scim.manage are told once.
    const mail = await orphanMail(h);
    expect(mail.map((m) => m.to)).to.deep.equal(['creator@example.com', owner.email]);
    expect(mail[0]!.subject).to.equal('SCIM token "Entra ID" is orphaned');
    expect(mail[0]!.text).to.contain('no longer holds users.manage');
    expect(mail[0]!.text).to.contain('http://gatehouse.test/admin/scim-tokens');
    expect(await auditOf(h, 'scim_token.orphaned')).to.have.length(1);
    await scim.get('/Users').expect(200);
    expect(await orphanMail(h)).to.have.length(2);

    // Given back, the token acts with its whole set again; a later loss would be news again.
    await h.services.roles.setPermissions(h.system(), role.id, ['users.view', 'users.manage', 'scim.manage']);
    await scim.post('/Users', newUser('ben')).expect(201);
    expect((await h.services.scimTokens.list(h.system())).find((t) => t.id === view.id)).to.include({ status: 'active' });
    expect(await auditOf(h, 'scim_token.restored')).to.have.length(1);
  });

  it('stops when its creator is deactivated (401 saying why), mails the holders of scim.manage, and an admin holding its set adopts it without a new secret', async () => {
    const owner = await addOwner(h);
    const creator = await addWithRole(h, 'admin', { username: 'leaver', email: 'leaver@example.com' });
    const { token, view } = await h.services.scimTokens.create(await h.as(creator), 'Okta');
    const scim = scimClient(h, token);
    await scim.post('/Users', newUser('ann')).expect(201);

    await h.services.users.deactivate(await h.as(owner), creator.id, 'left the company');
    const stopped = await scim.get('/Users').expect(401);
    expect(json(stopped).schemas).to.deep.equal([ERROR_URN]);
    expect(json(stopped).detail).to.equal('The SCIM token "Okta" is stopped: its creator leaver is deactivated. An administrator holding its permissions can adopt it on the SCIM tokens page; its secret stays the same.');
    const mail = await orphanMail(h);
    expect(mail.map((m) => m.to)).to.deep.equal([owner.email]);
    expect(mail[0]!.subject).to.equal('SCIM token "Okta" is stopped');
    expect((await h.services.scimTokens.list(h.system())).find((t) => t.id === view.id)).to.include({ status: 'stopped', statusReason: 'its creator leaver is deactivated' });

    // Someone lacking part of the set cannot take it over; an active token is not adoptable.
    const member = await holding(h, ['scim.manage', 'users.manage'], 'partial');
    const refused = await rejection(h.services.scimTokens.adopt(await h.as(member), view.id), Forbidden);
    expect(refused.message).to.contain('roles.manage');
    const heir = await addWithRole(h, 'admin', { username: 'heir' });
    const adopted = await h.services.scimTokens.adopt(await h.as(heir), view.id);
    expect(adopted).to.include({ status: 'active', createdBy: 'heir', createdById: heir.id, hint: view.hint });
    await scim.post('/Users', newUser('ben')).expect(201);
    expect((await auditOf(h, 'scim_token.adopted'))[0]).to.deep.include({ actorLabel: 'heir' });
    expect((await auditOf(h, 'scim_token.adopted'))[0]!.details).to.include({ from: 'leaver' });
    await rejection(h.services.scimTokens.adopt(await h.as(owner), view.id), InvalidTransition);
    expect(await orphanMail(h)).to.have.length(1);
  });

  it('a change made without the services is noticed by the next request, which mails once', async () => {
    const owner = await addOwner(h);
    const creator = await addWithRole(h, 'admin', { username: 'quiet' });
    const { token } = await h.services.scimTokens.create(await h.as(creator), 'Quiet');
    await h.db.sequelize.query(`UPDATE users SET status = 'inactive' WHERE id = '${creator.id}'`);
    const scim = scimClient(h, token);
    expect(json(await scim.get('/Users').expect(401)).detail).to.contain('its creator quiet is deactivated');
    await scim.get('/Users').expect(401);
    expect((await orphanMail(h)).map((m) => m.to)).to.deep.equal([owner.email]);
    // A deleted creator stops it as well.
    await h.services.users.delete(h.system(), creator.id);
    expect(json(await scim.get('/Users').expect(401)).detail).to.contain('its creator quiet was deleted');
  });
});
