// Every invitation page needs users.invite (members cannot invite). A member — and a
// manager of users lacking users.invite — gets
// 403 on every route, GET and POST, the upload included; nothing changes and no
// invitation shows on the refusal.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addInvitation, addUser, addWithRole } from '../accounts/account-fixtures.js';
import type { Form } from './admin-kit.js';
import { asAdmin, roleIdOf, rowFields, signInAs, type InviterClient } from './admin-invitations-kit.js';

interface Fixtures {
  pending: string;
  ended: string;
  batchId: string;
  memberRole: string;
}

type Call = [method: 'GET' | 'POST' | 'UPLOAD', path: (f: Fixtures) => string, form?: (f: Fixtures) => Form];

const CALLS: Call[] = [
  ['GET', () => '/admin/invitations'],
  ['GET', () => '/admin/invitations?status=expired&archived=1'],
  ['GET', () => '/admin/invitations/new'],
  ['POST', () => '/admin/invitations/new', (f) => ({ ...rowFields(0, { addresses: 'intruder@example.com', roles: [f.memberRole] }), action: 'send' })],
  ['POST', () => '/admin/invitations/new', (f) => ({ ...rowFields(0, { addresses: 'intruder@example.com', roles: [f.memberRole] }), action: 'add' })],
  ['GET', () => '/admin/invitations/bulk'],
  ['GET', () => '/admin/invitations/bulk/template.csv'],
  ['UPLOAD', () => '/admin/invitations/bulk'],
  ['POST', (f) => `/admin/invitations/bulk/${f.batchId}/send`],
  ['POST', (f) => `/admin/invitations/${f.pending}/resend`],
  ['GET', (f) => `/admin/invitations/${f.pending}/edit`],
  ['POST', (f) => `/admin/invitations/${f.pending}/edit`, (f) => ({ email: 'changed@example.com', kind: 'user', roles: [f.memberRole] })],
  ['GET', (f) => `/admin/invitations/${f.pending}/cancel`],
  ['POST', (f) => `/admin/invitations/${f.pending}/cancel`],
  ['GET', (f) => `/admin/invitations/${f.ended}/delete`],
  ['POST', (f) => `/admin/invitations/${f.ended}/delete`],
];

describeEachDatabase('admin pages: invitations need users.invite', (h: Harness) => {
  async function fixtures(admin: InviterClient): Promise<Fixtures> {
    const ctx = await h.as(admin.user);
    const memberRole = await roleIdOf(h, 'member');
    const [o] = await h.services.invitations.invite(ctx, [{ addresses: 'secret-7f3e@example.com', roleIds: [memberRole] }]);
    const ended = await addInvitation(h, 'ended-7f3e@example.com', { status: 'cancelled' });
    const review = await h.services.invitations.bulk.review(ctx, 'email,role\nbulk-7f3e@example.com,Member\n');
    return { pending: o!.invitationId!, ended, batchId: review.batchId, memberRole };
  }

  async function expectRefusedEverywhere(who: InviterClient, f: Fixtures): Promise<void> {
    const before = { invitations: await h.services.models.Invitation.count(), mail: await h.services.models.MailOutbox.count() };
    for (const [method, path, form] of CALLS) {
      const url = path(f);
      const res =
        method === 'GET' ? await who.get(url) : method === 'POST' ? await who.post(url, form?.(f) ?? {}) : await who.upload(url, { data: 'email,role\nintruder@example.com,Member\n' });
      expect(res.status, `${method} ${url}`).to.equal(403);
      expect(res.text, `${method} ${url} shows no invitation`).to.not.match(/7f3e/);
    }
    expect(await h.services.models.Invitation.count()).to.equal(before.invitations);
    expect(await h.services.models.MailOutbox.count()).to.equal(before.mail);
    const pending = await h.services.invitations.get(h.system(), f.pending);
    expect(pending).to.deep.include({ status: 'pending', email: 'secret-7f3e@example.com' });
    expect(await h.services.models.Invitation.findByPk(f.ended)).to.not.equal(null);
    expect((await h.services.models.InvitationBatch.findByPk(f.batchId))!.sentAt).to.equal(null);
  }

  it('a member gets 403 on every invitation route and changes nothing', async () => {
    const f = await fixtures(await asAdmin(h));
    const member = await signInAs(h, await addWithRole(h, 'member'));
    await expectRefusedEverywhere(member, f);
    // The navigation does not offer the page either.
    const account = await member.get('/admin/users');
    expect(account.text).to.not.include('href="/admin/invitations"');
  });

  it('managing users is not enough: users.invite is its own permission', async () => {
    const f = await fixtures(await asAdmin(h));
    const role = await h.services.roles.create(h.system(), { name: 'Manager without invite', permissions: ['users.view', 'users.manage'] });
    await expectRefusedEverywhere(await signInAs(h, await addUser(h, {}, { roleIds: [role.id] })), f);
  });
});
