// Changes someone else makes to an account are never silent (docs/permissions.md):
// an email changed by an admin is announced to the old address with an
// "it wasn't me" link that restores it and ends every session, and the new address is
// unverified — no reset link goes there until it is confirmed, and for a week the old
// address hears of every reset; a password set or a second factor reset by someone else is
// announced to the verified address and ends every session. Over HTTP on the admin pages
// and the public forms, with the outbox delivered by the real worker.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';
import { addOwner, addWithRole, auditEvents } from '../accounts/account-fixtures.js';
import { HOUR_MS } from '../../src/clock.js';
import { currentTotpCode } from '../../src/totp/totp-service.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { asBuiltIn, signIn, type AdminClient } from './admin-kit.js';

const PASSWORD = 'a long and quiet river 7';

function profileForm(u: UserView, changes: Record<string, string> = {}): Record<string, string> {
  return {
    givenName: u.givenName ?? '', familyName: u.familyName ?? '', username: u.username, email: u.email ?? '', countryCode: '', phone: u.phone ?? '',
    gender: u.gender ?? '', birthdate: u.birthdate ?? '', department: u.department ?? '', title: u.title ?? '', kind: u.kind, ...changes,
  };
}

/** Delivers the outbox; returns what reached `address` since the test began. */
async function mailTo(h: Harness, address: string) {
  await h.services.mailWorker.runOnce();
  return h.mail.to(address);
}

/** The templates of every message queued for `address`, oldest first. */
async function templatesTo(h: Harness, address: string): Promise<string[]> {
  return (await h.services.models.MailOutbox.findAll({ where: { toAddress: address }, order: [['id', 'ASC']] })).map((m) => m.template);
}

function restoreLinkIn(text: string): string {
  const m = /http:\/\/[^\s"<]+\/email\/restore\?token=[A-Za-z0-9_%-]+/.exec(text);
  if (!m) expect.fail(`no restore link in:\n${text}`);
  return m[0];
}

async function askForReset(h: Harness, email: string): Promise<Page> {
  const ua = new UserAgent(h.baseUrl);
  return ua.submit(await ua.get('/password/forgot'), '/password/forgot', { email });
}

async function restoreThroughPage(h: Harness, link: string): Promise<Page> {
  const ua = new UserAgent(h.baseUrl);
  const page = await ua.get(link);
  if (page.status !== 200) return page;
  return ua.submit(page, '/email/restore');
}

describeEachDatabase('changes by someone else: announced, unverified, undoable', (h) => {
  let admin: AdminClient;
  let member: UserView;
  beforeEach(async () => {
    admin = await asBuiltIn(h, 'admin');
    member = await addWithRole(h, 'member', { username: 'mia', email: 'mia@example.com', givenName: 'Mia' });
    await h.services.users.markEmailVerified(h.system(), member.id);
    await h.services.users.setPassword(await h.as(member), member.id, PASSWORD);
  });

  it("announces an email change to the old address; its link restores the address and ends every session", async () => {
    const theirs = await signIn(h, member);
    expect((await theirs.get('/account')).status).to.equal(200);
    const res = await admin.post(`/admin/users/${member.id}/profile`, profileForm(member, { email: 'mallory@example.net' }));
    expect(res.status).to.equal(303);

    const changed = await h.services.users.get(member.id);
    expect(changed).to.include({ email: 'mallory@example.net', emailVerified: false });
    expect(h.revoker.calls).to.deep.include({ userId: member.id, reason: 'email_changed', inTransaction: true });
    expect((await theirs.get('/account')).status).to.equal(303);

    const [notice, ...more] = await mailTo(h, 'mia@example.com');
    expect(more).to.have.length(0);
    expect(notice!.subject).to.include('email address of your');
    expect(notice!.text).to.include(`${admin.user!.username} changed the email address of your account mia from mia@example.com to mallory@example.net`);
    expect(await mailTo(h, 'mallory@example.net')).to.have.length(0);
    const link = restoreLinkIn(notice!.text);
    // Only the hash of a 256-bit token is stored.
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    expect(token).to.have.length(43);
    expect((await h.services.models.EmailChange.findAll()).map((r) => r.restoreTokenHash)).to.not.include(token);

    // Meanwhile the new address's owner signs in again.
    const again = await signIn(h, changed);
    h.revoker.calls.length = 0;
    const page = await new UserAgent(h.baseUrl).get(link);
    expect(page.status).to.equal(200);
    expect(page.body).to.include('mia@example.com');
    expect((await h.services.users.get(member.id)).email, 'opening the link changes nothing').to.equal('mallory@example.net');
    const done = await restoreThroughPage(h, link);
    expect(done.status).to.equal(200);
    expect(done.body).to.include('Your email address is restored');

    expect(await h.services.users.get(member.id)).to.include({ email: 'mia@example.com', emailVerified: true });
    expect(h.revoker.calls).to.deep.include({ userId: member.id, reason: 'email_restored', inTransaction: true });
    expect((await again.get('/account')).status).to.equal(303);
    expect(await auditEvents(h, { action: 'user.email_restored', targetId: member.id })).to.have.length(1);
    // Single use.
    expect((await restoreThroughPage(h, link)).status).to.equal(410);
  });

  it('sends no reset link to the unconfirmed new address; tells the old one of every reset for 7 days', async () => {
    await admin.post(`/admin/users/${member.id}/profile`, profileForm(member, { email: 'mallory@example.net' }));

    const answered = await askForReset(h, 'mallory@example.net');
    const unknown = await askForReset(h, 'nobody@example.com');
    expect(answered.status).to.equal(200);
    expect(answered.body).to.equal(unknown.body);
    expect(await templatesTo(h, 'mallory@example.net')).to.deep.equal(['password-reset-unconfirmed']);
    expect((await mailTo(h, 'mallory@example.net'))[0]!.text).to.not.match(/\/password\/reset\?token=/);
    expect(await h.services.models.PasswordReset.count({ where: { userId: member.id } })).to.equal(0);
    expect(await templatesTo(h, 'mia@example.com')).to.deep.equal(['email-changed', 'reset-after-email-change']);
    const first = (await mailTo(h, 'mia@example.com'))[0]!;

    // Once the new address is confirmed, resets go there — and the old address still hears, with a working link.
    await h.services.users.markEmailVerified(h.system(), member.id);
    h.clock.advance(6 * 24 * HOUR_MS);
    await askForReset(h, 'mallory@example.net');
    expect(await templatesTo(h, 'mallory@example.net')).to.deep.equal(['password-reset-unconfirmed', 'password-reset']);
    expect(await templatesTo(h, 'mia@example.com')).to.deep.equal(['email-changed', 'reset-after-email-change', 'reset-after-email-change']);
    const latest = (await mailTo(h, 'mia@example.com')).at(-1)!;
    expect(latest.text).to.include('Someone asked to reset the password of your account mia');
    expect(await h.services.models.PasswordReset.count({ where: { userId: member.id, usedAt: null } })).to.equal(1);

    // After the week, the old address hears no more.
    h.clock.advance(2 * 24 * HOUR_MS);
    await askForReset(h, 'mallory@example.net');
    expect(await templatesTo(h, 'mia@example.com')).to.have.length(3);

    // The first notice's link has expired (7 days); the one mailed on day 6 still works:
    // the address comes back and the pending reset links die.
    expect((await restoreThroughPage(h, restoreLinkIn(first.text))).status).to.equal(410);
    expect((await restoreThroughPage(h, restoreLinkIn(latest.text))).status).to.equal(200);
    expect((await h.services.users.get(member.id)).email).to.equal('mia@example.com');
    expect(await h.services.models.PasswordReset.count({ where: { userId: member.id, usedAt: null } })).to.equal(0);
  });

  it('ends every link mailed before a restore, so a later address cannot undo it', async () => {
    await admin.post(`/admin/users/${member.id}/profile`, profileForm(member, { email: 'mallory@example.net' }));
    const changed = await h.services.users.get(member.id);
    await admin.post(`/admin/users/${member.id}/profile`, profileForm(changed, { email: 'mallory2@example.net' }));
    const toMia = restoreLinkIn((await mailTo(h, 'mia@example.com'))[0]!.text);
    const toMallory = restoreLinkIn((await mailTo(h, 'mallory@example.net'))[0]!.text);
    expect((await restoreThroughPage(h, toMia)).status).to.equal(200);
    expect((await h.services.users.get(member.id)).email).to.equal('mia@example.com');
    const refused = await restoreThroughPage(h, toMallory);
    expect(refused.status).to.equal(410);
    expect(refused.body).to.include('no longer works');
    expect((await h.services.users.get(member.id)).email).to.equal('mia@example.com');
  });

  it("announces a password set by an admin to the verified address and ends every session", async () => {
    const theirs = await signIn(h, member);
    await h.services.users.setPassword(await h.as(admin.user!), member.id, 'another long passphrase 9');
    expect(h.revoker.calls).to.deep.include({ userId: member.id, reason: 'password_set', inTransaction: true });
    expect((await theirs.get('/account')).status).to.equal(303);
    expect(await templatesTo(h, 'mia@example.com')).to.deep.equal(['password-set-by-someone-else']);
    const [notice] = await mailTo(h, 'mia@example.com');
    expect(notice!.text).to.include(`${admin.user!.username} set a new password for your account mia`);

    // Their own change announces nothing; it ends their sessions (the page opens itself a new one).
    h.revoker.calls.length = 0;
    await h.services.users.setPassword(await h.as(member), member.id, PASSWORD);
    expect(h.revoker.calls).to.deep.equal([{ userId: member.id, reason: 'password_changed', inTransaction: true }]);
    expect(await mailTo(h, 'mia@example.com')).to.have.length(1);
  });

  it('lets an admin reset a member\'s second factor from the page: announced, TOTP gone, sessions ended', async () => {
    const { secret } = await h.services.totp.startEnrolment(member.id);
    await h.services.totp.confirmEnrolment(await h.as(member), member.id, currentTotpCode(secret, h.clock.now()));
    const theirs = await signIn(h, member);
    const page = await admin.get(`/admin/users/${member.id}`);
    expect(page.text).to.include('id="second-factor"');

    const res = await admin.post(`/admin/users/${member.id}/second-factor`);
    expect(res.status).to.equal(303);
    expect((await admin.get(res.headers.location!)).text).to.include('Two-step verification reset');
    expect(await h.services.totp.isEnrolled(member.id)).to.equal(false);
    expect(await h.services.models.RecoveryCode.count({ where: { userId: member.id } })).to.equal(0);
    expect(h.revoker.calls).to.deep.include({ userId: member.id, reason: 'second_factor_reset', inTransaction: true });
    expect((await theirs.get('/account')).status).to.equal(303);
    expect(await templatesTo(h, 'mia@example.com')).to.deep.equal(['second-factor-reset']);
    expect(await auditEvents(h, { action: 'totp.reset', targetId: member.id })).to.have.length(1);
    // Nothing left to reset: the page no longer offers it.
    expect((await admin.get(`/admin/users/${member.id}`)).text).to.not.include('id="second-factor"');
  });

  it("refuses an admin resetting the owner's second factor (dominance, 403), audited", async () => {
    const owner = await addOwner(h, { email: 'olivia@example.com' });
    const { secret } = await h.services.totp.startEnrolment(owner.id);
    await h.services.totp.confirmEnrolment(await h.as(owner), owner.id, currentTotpCode(secret, h.clock.now()));
    const res = await admin.post(`/admin/users/${owner.id}/second-factor`);
    expect(res.status).to.equal(403);
    expect(await h.services.totp.isEnrolled(owner.id)).to.equal(true);
    expect(h.revoker.calls.filter((c) => c.userId === owner.id)).to.deep.equal([]);
    expect(await mailTo(h, 'olivia@example.com')).to.have.length(0);
    expect((await auditEvents(h, { action: 'access.refused', targetId: owner.id })).map((e) => e.details.change)).to.deep.equal(['second_factor']);
  });
}, { serve: true });
