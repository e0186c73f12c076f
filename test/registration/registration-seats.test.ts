// Unconfirmed self-registrations hold a seat until confirmed or removed: when the
// 24-hour link expires the account is removed and its seat freed;
// admin-added unconfirmed accounts stay. Also the confirmation of an address accepted
// through a shareable link, and the admin's "resend confirmation".
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { SeatLimitReached, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, auditEvents, rejection, setLimit, used } from '../accounts/account-fixtures.js';
import { addAdmin, GOOD_PASSWORD, lastMailTo, linkTo, roleId, tokenOf } from '../invitations/invite-kit.js';

describeEachDatabase('self-registration: seats and confirmation links', (h) => {
  const visitor = () => ({ actor: { userId: null, label: 'anonymous', permissions: new Set<string>() }, source: 'registration' as const, ip: '127.0.0.1' });
  const templatesTo = async (address: string) => (await h.services.models.MailOutbox.findAll({ where: { toAddress: address }, order: [['id', 'ASC']] })).map((m) => m.template);
  const register = (email: string) => h.services.registration.register(visitor(), { name: 'Some One', email, password: GOOD_PASSWORD });

  beforeEach(async () => {
    await h.services.settings.set(h.system(), 'registrationMode', 'open');
  });

  it('an unconfirmed registration holds a seat; cleanup after its link expires removes it and frees the seat', async () => {
    await setLimit(h, 2);
    await register('one@example.com');
    await register('two@example.com');
    expect(await used(h)).to.equal(2);
    await rejection(h.services.users.create(h.system(), { email: 'admin-added@example.com' }, { source: 'admin', origin: 'page' }), SeatLimitReached);

    // Admin-added unconfirmed accounts are never removed by the cleanup.
    await setLimit(h, 3);
    const kept = await addUser(h, { email: 'kept@example.com' }, { status: 'unconfirmed' });
    await h.services.registration.sendConfirmation(h.system(), kept.id);

    h.clock.advance(24 * HOUR_MS - 1);
    expect(await h.services.registration.removeExpiredUnconfirmed(h.system())).to.equal(0);
    // "two" asks for a new link before the first expires: it keeps its account.
    await h.services.registration.resendConfirmation(visitor(), 'two@example.com');
    h.clock.advance(1);
    expect(await h.services.registration.removeExpiredUnconfirmed(h.system())).to.equal(1);
    expect(await h.services.users.findByLogin('one@example.com')).to.equal(null);
    expect((await h.services.users.findByLogin('two@example.com'))!.status).to.equal('unconfirmed');
    expect((await h.services.users.get(kept.id)).status).to.equal('unconfirmed');
    expect(await used(h)).to.equal(2);
    const removed = await auditEvents(h, { action: 'registration.expired_removed' });
    expect(removed).to.have.length(1);
    expect(removed[0]!.details).to.deep.equal({ email: 'one@example.com' });
  });

  it('registering again after the link expired starts over, without waiting for the cleanup', async () => {
    await register('again@example.com');
    const first = (await h.services.users.findByLogin('again@example.com'))!;
    h.clock.advance(25 * HOUR_MS);
    await register('again@example.com');
    const second = (await h.services.users.findByLogin('again@example.com'))!;
    expect(second.id).not.to.equal(first.id);
    expect(second.status).to.equal('unconfirmed');
    const link = linkTo((await lastMailTo(h, 'again@example.com')).text, '/register/confirm');
    const confirmed = await h.services.emailConfirmations.confirm(visitor(), tokenOf(link));
    expect(confirmed).to.deep.include({ id: second.id, status: 'active', emailVerified: true });
    expect(await used(h)).to.equal(1);
  });

  it('registering an unconfirmed address again sends a fresh confirmation link instead', async () => {
    await register('pending@example.com');
    await register('pending@example.com');
    expect(await templatesTo('pending@example.com')).to.deep.equal(['confirm-email-registration', 'confirm-email-registration']);
    expect(await h.services.models.User.count()).to.equal(1);
  });

  it('an invitation accepted through a shareable link is confirmed by the mailed link', async () => {
    const admin = await addAdmin(h);
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'linked@example.com', roleIds: [await roleId(h, 'member')], method: 'link' }]);
    const { user } = await h.services.invitations.accept(visitor(), tokenOf(o!.link!), { password: GOOD_PASSWORD });
    expect(user).to.deep.include({ status: 'active', emailVerified: false });
    const mail = await lastMailTo(h, 'linked@example.com');
    expect(await templatesTo('linked@example.com')).to.deep.equal(['confirm-email-invitation']);
    const confirmed = await h.services.emailConfirmations.confirm(visitor(), tokenOf(linkTo(mail.text, '/register/confirm')));
    expect(confirmed).to.deep.include({ status: 'active', emailVerified: true });
    expect(await auditEvents(h, { action: 'user.email_verified' })).to.have.length(1);
    // Resend-confirmation has nothing left to send for it.
    h.mail.sent.length = 0;
    await h.services.registration.resendConfirmation(visitor(), 'linked@example.com');
    await h.services.mailWorker.runOnce();
    expect(h.mail.sent).to.have.length(0);
  });

  it("the admin's resend confirmation is only for unconfirmed accounts and needs users.manage", async () => {
    const active = await addUser(h, { email: 'active@example.com' });
    await rejection(h.services.registration.sendConfirmation(h.system(), active.id), ValidationError);
    const waiting = await addUser(h, { email: 'waiting@example.com' }, { status: 'unconfirmed' });
    await rejection(h.services.registration.sendConfirmation(h.withPermissions(['users.invite']), waiting.id), Error);
    await h.services.registration.sendConfirmation(h.system(), waiting.id);
    expect(await templatesTo('waiting@example.com')).to.deep.equal(['confirm-email-admin']);
  });

  it('the sweeper runs the cleanup', async () => {
    await register('swept@example.com');
    h.clock.advance(24 * HOUR_MS);
    expect(await h.services.registrationSweeper.runOnce()).to.equal(1);
    expect(await h.services.users.findByLogin('swept@example.com')).to.equal(null);
  });
});
