// Self-registration over HTTP: off (404), open, or
// limited to allowed domains; an unconfirmed account with the default roles and a 24-hour
// confirmation link followed from the received mail; no enumeration; resend-confirmation.
import { expect } from 'chai';
import { HOUR_MS } from '../../src/clock.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { SmtpTestServer } from '../helpers/smtp-test-server.js';
import { addUser, auditEvents } from '../accounts/account-fixtures.js';
import { FormClient, GOOD_PASSWORD, lastMailTo, linkTo, pathOf, receivedBy, smtpWorker, textOf } from '../invitations/invite-kit.js';
import type { OutboxWorker } from '../../src/mail/outbox-worker.js';
import type { MailTransport } from '../../src/mail/transport.js';

describeEachDatabase('self-registration', (h) => {
  const open = (mode: 'open' | 'domains' | 'off' = 'open') => h.services.settings.set(h.system(), 'registrationMode', mode);

  async function register(fields: { name?: string; email: string; password?: string; passwordConfirmation?: string }) {
    const password = fields.password ?? GOOD_PASSWORD;
    return new FormClient(h.app).submit('/register', '/register', { name: fields.name ?? 'Reg Istrant', email: fields.email, password, passwordConfirmation: fields.passwordConfirmation ?? password });
  }

  it('is off by default: /register answers 404', async () => {
    expect((await new FormClient(h.app).get('/register')).status).to.equal(404);
    const client = new FormClient(h.app);
    const page = await client.get('/register/resend'); // any page, for the CSRF cookie
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const res = await client.agent.post('/register').type('form').send({ _csrf: csrf, name: 'X', email: 'x@example.com', password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
    expect(res.status).to.equal(404);
    expect(await h.services.models.User.count()).to.equal(0);
  });

  describe('with real SMTP', () => {
    const smtp = new SmtpTestServer();
    let worker: OutboxWorker;
    let transport: MailTransport;
    before(async () => {
      await smtp.start();
      ({ worker, transport } = smtpWorker(h, smtp));
    });
    beforeEach(() => {
      smtp.received.length = 0;
    });
    after(async () => {
      transport?.close();
      await smtp.stop();
    });

    it('open: an unconfirmed account with the default roles; the mailed link confirms it', async () => {
      await open();
      await h.services.settings.set(h.system(), 'organizationName', 'Infinity Works');
      const res = await register({ name: 'Rita Reg', email: 'rita@example.com' });
      expect(res.status).to.equal(200);
      expect(textOf(res.text)).to.include('Check your email');
      let user = (await h.services.users.findByLogin('rita@example.com'))!;
      expect(user).to.deep.include({ status: 'unconfirmed', source: 'registration', emailVerified: false, displayName: 'Rita Reg', givenName: 'Rita', familyName: 'Reg' });
      expect(user.roles.map((r) => r.name)).to.deep.equal(['Viewer']);

      await worker.runOnce();
      const [mail] = receivedBy(smtp, 'rita@example.com');
      expect(mail!.parsed.subject).to.equal('Confirm your email address for Infinity Works');
      expect(mail!.parsed.text).to.include('The link works until Wednesday, 2 January 2030 at 09:00 UTC.');
      const link = linkTo(mail!.parsed.text!, '/register/confirm');
      expect(String(mail!.parsed.html)).to.include(`href="${link}"`);

      const client = new FormClient(h.app);
      const page = await client.get(pathOf(link));
      expect(page.status).to.equal(200);
      expect((await h.services.users.get(user.id)).status, 'opening the link alone confirms nothing').to.equal('unconfirmed');
      const done = await client.submit(pathOf(link), '/register/confirm', {});
      expect(done.status).to.equal(200);
      expect(textOf(done.text)).to.include('rita@example.com is confirmed');
      user = await h.services.users.get(user.id);
      expect(user).to.deep.include({ status: 'active', emailVerified: true });
      const used = await new FormClient(h.app).get(pathOf(link));
      expect(used.status).to.equal(410);
      expect(textOf(used.text)).to.include('already confirmed');
      expect(await auditEvents(h, { action: 'registration.registered' })).to.have.length(1);
      expect(await auditEvents(h, { action: 'registration.confirmed' })).to.have.length(1);
    });

    it('no enumeration: an existing address gets the same status and body, and a "you already have an account" email', async () => {
      await open();
      await addUser(h, { email: 'known@example.com' });
      const fresh = await register({ email: 'unknown@example.com' });
      const known = await register({ email: 'Known@Example.com' });
      expect(known.status).to.equal(fresh.status);
      expect(known.text).to.equal(fresh.text);
      expect(await h.services.models.User.count({ where: { emailNormalized: 'known@example.com' } })).to.equal(1);
      await worker.runOnce();
      const [notice] = receivedBy(smtp, 'known@example.com');
      expect(notice!.parsed.subject).to.equal('You already have an account at Gatehouse');
      expect(notice!.parsed.text).to.include('http://gatehouse.test/account');
      expect(notice!.parsed.text).not.to.include('/register/confirm');
      expect(receivedBy(smtp, 'unknown@example.com')[0]!.parsed.subject).to.include('Confirm your email address');
    });

    it('a full pool says so honestly, alike for new and known addresses, and mails the reason', async () => {
      await open();
      await addUser(h, { email: 'known@example.com' });
      await h.services.seats.setLimit(h.system(), 'user', 1);
      const full = await register({ email: 'late@example.com' });
      const known = await register({ email: 'Known@Example.com' });
      expect(full.status).to.equal(known.status);
      expect(known.text, 'the answer is about the seats, never about the address').to.equal(full.text);
      expect(textOf(full.text)).to.include('Registration is closed for now');
      expect(textOf(full.text)).to.include('has no free seats');
      expect(textOf(full.text)).not.to.include('Check your email');
      await h.services.seats.setLimit(h.system(), 'user', null);
      const fine = await register({ email: 'early@example.com' });
      expect(textOf(fine.text)).to.include('Check your email');
      expect(await h.services.users.findByLogin('late@example.com')).to.equal(null);
      await worker.runOnce();
      expect(receivedBy(smtp, 'late@example.com')[0]!.parsed.subject).to.include('could not be completed');
      expect((await auditEvents(h, { action: 'registration.refused' }))[0]!.details).to.deep.include({ reason: 'seat_limit_reached' });
    });

    it('resend confirmation: a new link works, the old one is dead, and unknown addresses get the same answer', async () => {
      await open();
      await register({ email: 'slow@example.com' });
      await worker.runOnce();
      const oldLink = linkTo(receivedBy(smtp, 'slow@example.com')[0]!.parsed.text!, '/register/confirm');
      const again = await new FormClient(h.app).submit('/register/resend', '/register/resend', { email: 'slow@example.com' });
      const nobody = await new FormClient(h.app).submit('/register/resend', '/register/resend', { email: 'nobody@example.com' });
      expect(again.status).to.equal(200);
      expect(nobody.text).to.equal(again.text);
      await worker.runOnce();
      const mails = receivedBy(smtp, 'slow@example.com');
      expect(mails).to.have.length(2);
      expect(receivedBy(smtp, 'nobody@example.com')).to.have.length(0);
      const newLink = linkTo(mails[1]!.parsed.text!, '/register/confirm');
      expect((await new FormClient(h.app).get(pathOf(oldLink))).status).to.equal(404);
      expect((await new FormClient(h.app).submit(pathOf(newLink), '/register/confirm', {})).status).to.equal(200);
      expect((await h.services.users.findByLogin('slow@example.com'))!.status).to.equal('active');
    });
  });

  it('domains: only addresses at the allowed domains may register', async () => {
    await open('domains');
    await h.services.settings.set(h.system(), 'registrationDomains', ['corp.example', 'Lab.Example']);
    const page = await new FormClient(h.app).get('/register');
    expect(textOf(page.text)).to.include('Registration is open to addresses at corp.example, lab.example.');
    const outsider = await register({ email: 'someone@gmail.example' });
    expect(outsider.status).to.equal(400);
    expect(textOf(outsider.text)).to.include('Registration is open only to addresses at corp.example, lab.example.');
    expect(outsider.text).to.include('value="someone@gmail.example"');
    expect((await register({ email: 'insider@LAB.example' })).status).to.equal(200);
    expect((await register({ email: 'staff@corp.example' })).status).to.equal(200);
    expect(await h.services.models.User.count()).to.equal(2);
  });

  it('the form keeps its values and says what is wrong', async () => {
    await open();
    const res = await register({ name: '', email: 'bad', password: 'short', passwordConfirmation: 'different' });
    expect(res.status).to.equal(400);
    const text = textOf(res.text);
    expect(text).to.include('Enter your name.');
    expect(text).to.include('Enter a valid email address');
    expect(text).to.include('Use at least 8 characters');
    expect(text).to.include('The two passwords are not the same.');
    expect(await h.services.models.User.count()).to.equal(0);
  });

  it('with email confirmation off, the account is active at once', async () => {
    await open();
    await h.services.settings.set(h.system(), 'requireEmailConfirmation', false);
    expect((await register({ email: 'quick@example.com' })).status).to.equal(200);
    expect((await h.services.users.findByLogin('quick@example.com'))!).to.deep.include({ status: 'active', emailVerified: false });
    expect((await lastMailTo(h, 'quick@example.com')).subject).to.equal('Welcome to Gatehouse');
  });

  it('default roles come from the setting, by name', async () => {
    await open();
    await h.services.settings.set(h.system(), 'registrationDefaultRoles', ['Member', 'no such role']);
    await register({ email: 'member@example.com' });
    expect((await h.services.users.findByLogin('member@example.com'))!.roles.map((r) => r.name)).to.deep.equal(['Member']);
  });

  it('an expired confirmation link has its own page', async () => {
    await open();
    await register({ email: 'tardy@example.com' });
    const link = linkTo((await lastMailTo(h, 'tardy@example.com')).text, '/register/confirm');
    h.clock.advance(24 * HOUR_MS);
    const page = await new FormClient(h.app).get(pathOf(link));
    expect(page.status).to.equal(410);
    expect(textOf(page.text)).to.include('This confirmation link has expired');
  });
});
