// The invitation email through a real SMTP server (smtp-server + mailparser in the test):
// everything it must carry (organization, inviter, roles, personal message, Accept button, the
// plain link, expiry date) in HTML and text, links from PUBLIC_URL never the Host header,
// links followed from the received message, and nothing lost while SMTP is down.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { SmtpTestServer, type ReceivedMail } from '../helpers/smtp-test-server.js';
import { addAdmin, FormClient, GOOD_PASSWORD, linkTo, pathOf, receivedBy, roleId, smtpWorker, textOf } from './invite-kit.js';
import type { OutboxWorker } from '../../src/mail/outbox-worker.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { addressOf } from '../../src/users/user-presenter.js';

describeEachDatabase('invitations: the email, over real SMTP', (h) => {
  const smtp = new SmtpTestServer();
  let worker: OutboxWorker;
  let transport: MailTransport;

  before(async () => {
    await smtp.start();
    ({ worker, transport } = smtpWorker(h, smtp));
  });
  beforeEach(async () => {
    await smtp.start();
    smtp.received.length = 0;
  });
  after(async () => {
    transport?.close();
    await smtp.stop();
  });

  function only(address: string): ReceivedMail {
    const mails = receivedBy(smtp, address);
    expect(mails, `mail to ${address}`).to.have.length(1);
    return mails[0]!;
  }

  it("carries organization, inviter, roles, message, button, link and expiry in HTML and text; the link followed from it creates the account", async () => {
    await h.services.settings.set(h.system(), 'organizationName', 'Fluxera Labs');
    const admin = await addAdmin(h, { givenName: 'Grace', familyName: 'Hopper' });
    const message = 'Welcome aboard!\nYour desk is by the window & the coffee is <strong>free</strong>.';
    const [o] = await h.services.invitations.invite(admin.ctx, [
      { addresses: 'new@example.com', roleIds: [await roleId(h, 'member'), await roleId(h, 'viewer')], givenName: 'Nova', message },
    ]);
    expect(o!.status).to.equal('sent');
    expect(await worker.runOnce()).to.equal(1);

    const mail = only('new@example.com');
    const { parsed } = mail;
    expect(parsed.subject).to.equal('Grace Hopper invited you to join Fluxera Labs');
    const text = parsed.text!;
    const html = parsed.html as string;
    const link = linkTo(text, '/invitations/accept');

    // Text part: every item the invitation must carry.
    expect(text).to.include('Hello Nova,');
    expect(text).to.include('Grace Hopper invited you to join Fluxera Labs with the roles Member, Viewer.');
    expect(text).to.include('Message from Grace Hopper:\n' + message);
    expect(text).to.include(link);
    expect(text).to.include('This invitation expires on Tuesday, 8 January 2030 at 09:00 UTC.');

    // HTML part: the same, the message escaped, an "Accept invitation" button to the link,
    // and the plain link printed for copying.
    expect(html).to.include('Fluxera Labs');
    expect(html).to.include('<strong>Grace Hopper</strong>');
    expect(html).to.include('<strong>Member, Viewer</strong>');
    expect(html).to.include('Your desk is by the window &amp; the coffee is &lt;strong&gt;free&lt;/strong&gt;.');
    expect(html).not.to.include('<strong>free</strong>');
    expect(html).to.match(new RegExp(`<a href="${link.replace(/[.?]/g, '\\$&')}"[^>]*>Accept invitation</a>`));
    expect(html.split(link).length - 1, 'button and plain link').to.equal(2);
    expect(html).to.include('Tuesday, 8 January 2030 at 09:00 UTC');

    // Follow the link from the received message.
    const client = new FormClient(h.app);
    const page = await client.get(pathOf(link));
    expect(textOf(page.text)).to.include('Grace Hopper invited new@example.com to join Fluxera Labs with the roles Member, Viewer');
    const res = await client.submit(pathOf(link), '/invitations/accept', { password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD, familyName: 'Star' });
    // Accepted: on to sign in (a login ticket) and the account page.
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/auth/login?returnTo=%2Faccount%3Fdone%3Dwelcome');
    const user = (await h.services.users.findByLogin('new@example.com'))!;
    expect(user).to.deep.include({ status: 'active', givenName: 'Nova', familyName: 'Star', emailVerified: true });

    await worker.runOnce();
    expect(only(addressOf(admin.user)).parsed.subject).to.equal('Nova Star accepted your invitation to Fluxera Labs');
  });

  it('builds links from PUBLIC_URL whatever Host the request came with', async () => {
    // The admin invite page will call the same service; here the public accept request
    // (whose mail is the confirmation link) comes with a forged Host and X-Forwarded-Host.
    const admin = await addAdmin(h);
    const [o] = await h.services.invitations.invite(admin.ctx, [{ addresses: 'host@example.com', roleIds: [await roleId(h, 'member')], method: 'link' }]);
    const link = o!.link;
    const res = await request(h.app).get(pathOf(link!)).set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example');
    expect(res.status).to.equal(200);
    const agent = new FormClient(h.app);
    const form = await agent.agent.get(pathOf(link!)).set('Host', 'evil.example');
    const csrf = form.text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const token = new URL(link!).searchParams.get('token')!;
    const done = await agent.agent.post('/invitations/accept').set('Host', 'evil.example').type('form').send({ _csrf: csrf, token, password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/auth/login?returnTo=%2Faccount%3Fdone%3Dwelcome');
    await worker.runOnce();
    // A shareable link does not prove the mailbox: a confirmation link is mailed, from PUBLIC_URL.
    const confirmation = only('host@example.com');
    expect(confirmation.parsed.text).to.include('http://gatehouse.test/register/confirm?token=');
    expect(confirmation.parsed.text).not.to.include('evil.example');
    expect(String(confirmation.parsed.html)).not.to.include('evil.example');
  });

  it('SMTP down while inviting: the invitations are saved and the mail goes out when SMTP returns', async () => {
    const admin = await addAdmin(h);
    await smtp.stop();
    const outcomes = await h.services.invitations.invite(admin.ctx, [{ addresses: 'd1@example.com d2@example.com', roleIds: [await roleId(h, 'member')] }]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['sent', 'sent']);
    expect(await worker.runOnce()).to.equal(0);
    expect(await h.services.models.Invitation.count({ where: { status: 'pending' } })).to.equal(2);
    const waiting = await h.services.models.MailOutbox.findAll({ where: { template: 'invitation' } });
    expect(waiting.map((m) => [m.status, m.attempts])).to.deep.equal([
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(waiting[0]!.lastError).to.match(/ECONNREFUSED|connect/i);

    await smtp.start();
    h.clock.advance(60_000); // past the back-off
    expect(await worker.runOnce()).to.equal(2);
    const link = linkTo(only('d2@example.com').parsed.text!, '/invitations/accept');
    expect((await h.services.invitations.check(new URL(link).searchParams.get('token')!)).email).to.equal('d2@example.com');
    expect(only('d1@example.com').parsed.subject).to.include('invited you to join');
  });
});
