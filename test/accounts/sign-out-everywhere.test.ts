// Ending sessions without deactivating: an admin's "Sign out everywhere" on a user's page
// (under the dominance rule, audited, the account staying active), and a self-service
// password change, which ends every other session while this browser stays signed in.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { addWithRole, auditEvents } from './account-fixtures.js';
import { asBuiltIn, asCustom, clientFor } from '../admin/admin-kit.js';
import { GOOD_PASSWORD } from '../invitations/invite-kit.js';

describeEachDatabase('ending sessions', (h) => {
  it('"Sign out everywhere" ends every session of the account, keeps it active, and is audited', async () => {
    const admin = await asBuiltIn(h, 'admin');
    const member = await addWithRole(h, 'member');
    const [one, two] = [await h.services.webSessions.create(member.id, null), await h.services.webSessions.create(member.id, null)];
    const page = await admin.get(`/admin/users/${member.id}`);
    expect(page.text).to.include(`action="/admin/users/${member.id}/sign-out-everywhere"`);
    // The summary, then every action in one menu, each a link to its form.
    expect(page.text).to.match(/<section class="card summary" id="summary">[\s\S]*<dt>Seat pool<\/dt><dd>User<\/dd>[\s\S]*<dt>Last activity<\/dt><dd>never<\/dd>/);
    expect(page.text).to.match(/<li><strong>Member<\/strong>: <span class="muted">[^<]*users\.view/);
    const menu = /<details class="menu" id="actions-menu">([\s\S]*?)<\/details>/.exec(page.text)![1]!;
    expect([...menu.matchAll(/href="#([a-z-]+)"/g)].map((m) => m[1])).to.deep.equal(['profile', 'roles', 'access-end', 'deactivate', 'sign-out-everywhere', 'delete']);
    for (const form of ['profile', 'roles', 'access-end', 'deactivate', 'sign-out-everywhere', 'delete']) expect(page.text).to.include(`id="${form}"`);
    const res = await admin.post(`/admin/users/${member.id}/sign-out-everywhere`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/admin/users/${member.id}?done=signed-out`);
    expect(await h.services.webSessions.find(one)).to.equal(null);
    expect(await h.services.webSessions.find(two)).to.equal(null);
    expect(h.revoker.calls.at(-1)).to.deep.equal({ userId: member.id, reason: 'signed_out_everywhere', inTransaction: true });
    expect((await h.services.users.get(member.id)).status).to.equal('active');
    const [event] = await auditEvents(h, { action: 'user.signed_out_everywhere' });
    expect(event!).to.deep.include({ actorId: admin.user!.id });
    expect(event!.target).to.deep.include({ id: member.id });
  });

  it('is refused for an account holding permissions the actor does not (the dominance rule)', async () => {
    const manager = await asCustom(h, ['users.view', 'users.manage']);
    const admin = await addWithRole(h, 'admin');
    const session = await h.services.webSessions.create(admin.id, null);
    expect((await manager.get(`/admin/users/${admin.id}`)).text).to.not.include('/sign-out-everywhere"');
    const res = await manager.post(`/admin/users/${admin.id}/sign-out-everywhere`);
    expect(res.status).to.equal(403);
    expect(await h.services.webSessions.find(session)).to.not.equal(null);
    expect(await auditEvents(h, { action: 'user.signed_out_everywhere' })).to.have.length(0);
  });

  it('a password changed on the account page ends the other sessions; this browser stays signed in', async () => {
    const member = await addWithRole(h, 'member', { email: 'mia@example.com' });
    await h.services.users.setPassword(h.system(), member.id, GOOD_PASSWORD);
    const here = await h.services.webSessions.create(member.id, null);
    const elsewhere = await h.services.webSessions.create(member.id, null);
    const browser = clientFor(h, member, here);
    const res = await browser.post('/account/password', { currentPassword: GOOD_PASSWORD, newPassword: 'another long quiet river 8', newPasswordConfirmation: 'another long quiet river 8' });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect(await h.services.webSessions.find(elsewhere), 'the other session ended').to.equal(null);
    expect(await h.services.webSessions.find(here), 'the old id of this one too').to.equal(null);
    const fresh = /gh_session=([^;]+)/.exec(String(res.get('Set-Cookie')))![1]!;
    const account = await request(h.app).get(res.headers.location!).set('Cookie', `gh_session=${fresh}`).set('Accept', 'text/html');
    expect(account.status).to.equal(200);
    expect(account.text).to.include('Every other session of yours was signed out');
    expect(h.revoker.calls.at(-1)).to.deep.include({ userId: member.id, reason: 'password_changed' });
  });
});
