// Accepting over HTTP: the accept page shows organization and roles;
// the invitee sets a password, name and phone; the account is active with the
// invitation's roles; used, expired, cancelled and superseded links each get their page;
// the first accepted invitation wins; two parallel accepts of one link make one account.
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { InvitationAlreadyUsed } from '../../src/invitations/invitation-errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditEvents } from '../accounts/account-fixtures.js';
import { addAdmin, FormClient, GOOD_PASSWORD, lastMailTo, linkTo, pathOf, roleId, textOf, tokenOf } from './invite-kit.js';
import { addressOf } from '../../src/users/user-presenter.js';

describeEachDatabase('invitations: accepting', (h) => {
  async function inviteByMail(email: string, roles: Array<'member' | 'viewer' | 'admin'> = ['member'], admin?: Awaited<ReturnType<typeof addAdmin>>) {
    const inviter = admin ?? (await addAdmin(h));
    const [o] = await h.services.invitations.invite(inviter.ctx, [{ addresses: email, roleIds: await Promise.all(roles.map((r) => roleId(h, r))) }]);
    expect(o!.status).to.equal('sent');
    const mail = await lastMailTo(h, email);
    return { inviter, id: o!.invitationId!, link: linkTo(mail.text, '/invitations/accept') };
  }

  /** Accepted: the new account is sent on to sign in (a login ticket) and lands on /account. */
  function expectSignedInNext(res: { status: number; headers: Record<string, string>; text: string }) {
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect(res.headers.location).to.equal('/auth/login?returnTo=%2Faccount%3Fdone%3Dwelcome');
  }

  async function accept(link: string, fields: Record<string, string> = {}) {
    const client = new FormClient(h.app);
    return client.submit(pathOf(link), '/invitations/accept', { password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD, ...fields });
  }

  it('shows organization and roles, then creates the active account with the invitation roles', async () => {
    await h.services.settings.set(h.system(), 'organizationName', 'Fluxera Labs');
    const { inviter, id, link } = await inviteByMail('new.hire@example.com', ['member', 'viewer']);
    const page = await new FormClient(h.app).get(pathOf(link));
    expect(page.status).to.equal(200);
    const text = textOf(page.text);
    expect(text).to.include('Join Fluxera Labs');
    expect(text).to.include('Ada Admin invited new.hire@example.com to join Fluxera Labs with the roles Member, Viewer');

    const res = await accept(link, { givenName: 'Nia', familyName: 'Hire', phoneCountry: '+44', phoneNumber: '020 7946 0958' });
    expectSignedInNext(res);
    const user = (await h.services.users.findByLogin('new.hire@example.com'))!;
    expect(user).to.deep.include({ status: 'active', source: 'invitation', emailVerified: true, givenName: 'Nia', familyName: 'Hire', phone: '+442079460958', kind: 'user' });
    expect(user.roles.map((r) => r.name)).to.deep.equal(['Member', 'Viewer']);
    expect(await h.services.users.passwordHashOf(user.id)).to.match(/^\$argon2id\$/);

    const invitation = await h.services.invitations.get(inviter.ctx, id);
    expect(invitation).to.deep.include({ status: 'accepted', acceptedUserId: user.id });
    expect(await h.services.invitations.pendingCount()).to.equal(0);

    // The inviter is told; the acceptance is audited with the account's creation.
    const note = await lastMailTo(h, addressOf(inviter.user));
    expect(note.subject).to.equal('Nia Hire accepted your invitation to Fluxera Labs');
    const accepted = await auditEvents(h, { action: 'invitation.accepted' });
    expect(accepted).to.have.length(1);
    expect(accepted[0]!).to.deep.include({ source: 'invitation', actorLabel: 'new.hire@example.com' });
    expect((await auditEvents(h, { action: 'user.created', targetId: user.id }))[0]!.details).to.deep.include({ source: 'invitation' });
  });

  it('keeps the form with messages beside the fields when the password or phone is wrong', async () => {
    const { link } = await inviteByMail('careful@example.com');
    let res = await accept(link, { password: 'short', passwordConfirmation: 'short' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Use at least 8 characters');
    res = await accept(link, { passwordConfirmation: 'something else entirely' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('The two passwords are not the same.');
    res = await accept(link, { phoneNumber: '020 7946 0958', givenName: 'Kept' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Enter the country code');
    expect(res.text).to.include('value="Kept"');
    res = await accept(link, { password: 'password123', passwordConfirmation: 'password123' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('too common');
    expect(await h.services.users.findByLogin('careful@example.com')).to.equal(null);
    expectSignedInNext(await accept(link));
  });

  it('a used link says so and points to sign-in', async () => {
    const { link } = await inviteByMail('twice@example.com');
    expectSignedInNext(await accept(link));
    const again = await new FormClient(h.app).get(pathOf(link));
    expect(again.status).to.equal(410);
    expect(textOf(again.text)).to.include('This invitation has already been accepted');
    expect(again.text).to.include('href="/account"');
  });

  it('expires by the application clock at the configured hour, with its own page', async () => {
    await h.services.settings.set(h.system(), 'invitationExpiryHours', 3);
    const { link } = await inviteByMail('late@example.com');
    h.clock.advance(3 * HOUR_MS - 1);
    expect((await new FormClient(h.app).get(pathOf(link))).status).to.equal(200);
    h.clock.advance(1);
    const page = await new FormClient(h.app).get(pathOf(link));
    expect(page.status).to.equal(410);
    expect(textOf(page.text)).to.include('This invitation has expired');
    expect(textOf(page.text)).to.include('Ask Ada Admin to resend it');
    expect(textOf(page.text)).to.include('Tuesday, 1 January 2030 at 12:00 UTC');
    // Posting the form after expiry creates nothing.
    h.clock.advance(-1);
    const client = new FormClient(h.app);
    const form = await client.get(pathOf(link));
    h.clock.advance(1);
    const csrf = form.text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const res = await client.agent.post('/invitations/accept').type('form').send({ _csrf: csrf, token: tokenOf(link), password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
    expect(res.status).to.equal(410);
    expect(await h.services.users.findByLogin('late@example.com')).to.equal(null);
  });

  it('a cancelled link is dead, with its own page', async () => {
    const { inviter, id, link } = await inviteByMail('gone@example.com');
    await h.services.invitations.cancel(inviter.ctx, id);
    const page = await new FormClient(h.app).get(pathOf(link));
    expect(page.status).to.equal(410);
    expect(textOf(page.text)).to.include('This invitation was cancelled');
    expect((await h.services.invitations.get(inviter.ctx, id)).status).to.equal('cancelled');
  });

  it('an unknown or mangled link gets the "not valid" page', async () => {
    const page = await new FormClient(h.app).get('/invitations/accept?token=nonsense');
    expect(page.status).to.equal(404);
    expect(textOf(page.text)).to.include('This invitation link is not valid');
    expect((await new FormClient(h.app).get('/invitations/accept')).status).to.equal(404);
  });

  it('the first accepted invitation decides roles and kind; the others are superseded', async () => {
    const first = await addAdmin(h, { givenName: 'First' });
    const second = await addAdmin(h, { givenName: 'Second' });
    const viewerInvite = await inviteByMail('sought@example.com', ['viewer'], first);
    const [o] = await h.services.invitations.invite(second.ctx, [{ addresses: 'Sought@Example.com', roleIds: [await roleId(h, 'admin')], kind: 'requester' }]);
    const adminLink = linkTo((await lastMailTo(h, 'Sought@Example.com')).text, '/invitations/accept');

    expectSignedInNext(await accept(adminLink));
    const user = (await h.services.users.findByLogin('sought@example.com'))!;
    expect(user.roles.map((r) => r.name)).to.deep.equal(['Admin']);
    expect(user.kind).to.equal('requester');
    expect((await h.services.invitations.get(first.ctx, viewerInvite.id)).status).to.equal('superseded');
    expect((await h.services.invitations.get(first.ctx, o!.invitationId!)).status).to.equal('accepted');

    const page = await new FormClient(h.app).get(pathOf(viewerInvite.link));
    expect(page.status).to.equal(410);
    expect(textOf(page.text)).to.include('You have already joined with another invitation');
    expect((await auditEvents(h, { action: 'invitation.superseded' }))[0]!.target!.id).to.equal(viewerInvite.id);
  });

  it('two parallel accepts of one link create one account', async () => {
    const { link } = await inviteByMail('racer@example.com');
    const token = tokenOf(link);
    const ctx = { actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'invitation' as const, ip: null };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => h.services.invitations.accept(ctx, token, { password: GOOD_PASSWORD })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).to.have.length(1);
    for (const r of lost) expect(r.reason).to.be.instanceOf(InvitationAlreadyUsed);
    expect(await h.services.models.User.count({ where: { emailNormalized: 'racer@example.com' } })).to.equal(1);
    expect(await auditEvents(h, { action: 'invitation.accepted' })).to.have.length(1);
  });

  it('an address that got an account after the invitation was sent is told to sign in', async () => {
    const { link } = await inviteByMail('meanwhile@example.com');
    await h.services.users.create(h.system(), { email: 'meanwhile@example.com' }, { source: 'admin', origin: 'page' });
    const res = await accept(link);
    expect(res.status).to.equal(409);
    expect(textOf(res.text), textOf(res.text)).to.include("You already have an account");
  });

  it('two invitations to one address accepted in parallel make one account; the other is refused', async () => {
    const a = await inviteByMail('both@example.com', ['viewer']);
    const [o] = await h.services.invitations.invite(a.inviter.ctx, [{ addresses: 'both@example.com', roleIds: [await roleId(h, 'member')], method: 'link' }]);
    const ctx = { actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'invitation' as const, ip: null };
    const results = await Promise.allSettled([tokenOf(a.link), tokenOf(o!.link!)].map((t) => h.services.invitations.accept(ctx, t, { password: GOOD_PASSWORD })));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(lost.reason.code).to.be.oneOf(['invitation_superseded', 'invitation_used']);
    expect(await h.services.models.User.count({ where: { emailNormalized: 'both@example.com' } })).to.equal(1);
    const statuses = (await h.services.models.Invitation.findAll({ where: { emailNormalized: 'both@example.com' } })).map((i) => i.status).sort();
    expect(statuses).to.deep.equal(['accepted', 'superseded']);
  });
});
