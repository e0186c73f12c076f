// The account takeover paths an attacker with less power found, each closed: editing a
// stronger account's email on its page (then resetting its password at the new address),
// and a directory token setting stronger accounts' passwords, emails, status or groups.
import { expect } from 'chai';
import { systemContext } from '../../src/context.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, nextEmail } from '../accounts/account-fixtures.js';
import { signIn } from '../admin/admin-kit.js';
import { GROUP_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from '../scim/scim-fixtures.js';

async function customHolder(h: Harness, permissions: string[]): Promise<UserView> {
  const role = await h.services.roles.create(h.system(), { name: `Holds ${permissions.join(' ')}`, permissions });
  return addUser(h, {}, { roleIds: [role.id] });
}

async function tokenOf(h: Harness, creator: UserView): Promise<ScimClient> {
  const { token } = await h.services.scimTokens.create(await h.as(creator), `Token of ${creator.username}`);
  return scimClient(h, token);
}

describeEachDatabase('security: account takeover paths', (h) => {
  let owner: UserView;
  beforeEach(async () => {
    owner = await addOwner(h);
    await h.services.settings.update(h.system(), { provisionedCredentialMode: 'scim_password' });
  });

  for (const victim of ['owner', 'admin'] as const) {
    it(`a users.manage holder cannot change the ${victim}'s email on its page, so no reset reaches the attacker`, async () => {
      const attacker = await customHolder(h, ['users.view', 'users.manage']);
      const target = victim === 'owner' ? owner : await addWithRole(h, 'admin');
      const page = await signIn(h, attacker);
      const attackerMail = nextEmail('attacker');
      const res = await page.post(`/admin/users/${target.id}/profile`, { username: target.username, email: attackerMail, kind: target.kind });
      expect(res.status).to.equal(403);
      expect(res.text).not.to.include('Profile saved');
      expect((await h.services.users.get(target.id)).email).to.equal(target.email);
      await h.services.passwordResets.request(systemContext('account', 'forgot password'), attackerMail);
      await h.services.mailWorker.runOnce();
      expect(h.mail.to(attackerMail).filter((m) => m.subject.includes('Reset your'))).to.deep.equal([]);
    });
  }

  it("a stronger account's page offers a weaker admin only deactivation, and says why", async () => {
    const manager = await customHolder(h, ['users.view', 'users.manage']);
    const admin = await addWithRole(h, 'admin');
    const body = (await (await signIn(h, manager)).get(`/admin/users/${admin.id}`)).text;
    expect(body).to.include('holds permissions you do not');
    expect(body).to.include(`/admin/users/${admin.id}/deactivate`);
    for (const form of ['roles', 'delete']) expect(body).not.to.include(`/admin/users/${admin.id}/${form}"`);
  });

  it("an admin's equal may still manage an admin on the page (admins manage admins)", async () => {
    const admin = await addWithRole(h, 'admin');
    const other = await addWithRole(h, 'admin');
    const page = await signIn(h, admin);
    const email = nextEmail('moved');
    const res = await page.post(`/admin/users/${other.id}/profile`, { username: other.username, email, kind: other.kind });
    expect(res.status).to.equal(303);
    expect((await h.services.users.get(other.id)).email).to.equal(email);
  });

  it("a users.manage holder's SCIM token cannot set the owner's or an Admin's password or email, reactivate an Admin or take one out of the Admin group", async () => {
    const attacker = await customHolder(h, ['users.view', 'users.manage', 'scim.manage']);
    const scim = await tokenOf(h, attacker);
    const admin = await addWithRole(h, 'admin');
    const adminRole = await h.services.roles.builtin('admin');
    for (const target of [owner, admin]) {
      const hash = await h.services.users.passwordHashOf(target.id);
      const pw = await scim.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'password', value: 'taken over at last 123' }));
      expect(pw.status, pw.text).to.equal(403);
      expect(json(pw).detail).to.be.a('string').and.not.equal('');
      expect(await h.services.users.passwordHashOf(target.id)).to.equal(hash);
      const em = await scim.patch(`/Users/${target.id}`, patchOp({ op: 'replace', path: 'emails', value: [{ value: nextEmail('evil'), type: 'work', primary: true }] }));
      expect(em.status, em.text).to.equal(403);
      expect((await h.services.users.get(target.id)).email).to.equal(target.email);
    }
    await h.services.users.deactivate(h.system(), admin.id, 'left');
    const re = await scim.patch(`/Users/${admin.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(re.status, re.text).to.equal(403);
    expect((await h.services.users.get(admin.id)).status).to.equal('inactive');
    const other = await addWithRole(h, 'admin');
    const rm = await scim.patch(`/Groups/${adminRole.id}`, patchOp({ op: 'remove', path: `members[value eq "${other.id}"]` }));
    expect(rm.status, rm.text).to.equal(403);
    expect((await h.services.users.get(other.id)).roles.map((r) => r.id)).to.include(adminRole.id);
  });

  it('a token made by a users.view + scim.manage holder can neither create users and groups nor set an Admin’s password', async () => {
    const creator = await customHolder(h, ['users.view', 'scim.manage']);
    const scim = await tokenOf(h, creator);
    const admin = await addWithRole(h, 'admin');
    const u = await scim.post('/Users', { schemas: [USER_URN], userName: 'sneaky', emails: [{ value: nextEmail('sneaky'), primary: true }] });
    expect(u.status, u.text).to.equal(403);
    const g = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Sneaky group' });
    expect(g.status, g.text).to.equal(403);
    const pw = await scim.patch(`/Users/${admin.id}`, patchOp({ op: 'replace', path: 'password', value: 'taken over at last 123' }));
    expect(pw.status, pw.text).to.equal(403);
    expect(await h.services.users.findByLogin('sneaky')).to.equal(null);
    expect(await h.services.roles.findByName('Sneaky group')).to.equal(null);
  });

  it('a token whose set lacks users.view reads no users and no groups', async () => {
    const creator = await customHolder(h, ['users.manage', 'scim.manage']);
    const scim = await tokenOf(h, creator);
    for (const path of ['/Users', `/Users/${owner.id}`, '/Groups']) {
      const res = await scim.get(path);
      expect(res.status, `${path}: ${res.text}`).to.equal(403);
      expect(json(res).detail).to.include('users.view');
    }
  });
});
