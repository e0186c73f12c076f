// A real browser (Debian chromium) runs an invitation end to end: an admin signs
// in through the real pages, invites two addresses with different roles on the invite
// page ("Add invite" for the second row), the outbox delivers to a real SMTP server in the
// test, and the invitee — in a browser of their own — opens the Accept link from the
// received message, sets a password and lands signed in on their account page.
// Screenshots are kept under test/artifacts/invitation-flow-<dialect>/.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { SmtpTestServer } from '../helpers/smtp-test-server.js';
import { receivedBy, smtpWorker } from '../invitations/invite-kit.js';

const ADMIN_PASSWORD = 'correct horse battery staple';
const NIA_PASSWORD = 'a long and quiet river 7';

async function seedAdmin(h: Harness) {
  const admin = (await h.services.roles.findByName('Admin'))!;
  return h.services.users.create(
    h.system(),
    { username: 'ada', email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace' },
    { source: 'admin', origin: 'page', password: ADMIN_PASSWORD, roleIds: [admin.id] },
  );
}

/** Delivers the outbox to the SMTP server in the test; returns how many were sent. */
async function deliver(h: Harness, smtp: SmtpTestServer): Promise<number> {
  const { worker, transport } = smtpWorker(h, smtp);
  try {
    return await worker.runOnce();
  } finally {
    transport.close();
  }
}

/** The "Accept invitation" button's link in a received message's HTML. */
function acceptLink(h: Harness, smtp: SmtpTestServer, address: string): string {
  const [mail] = receivedBy(smtp, address);
  expect(mail, `a message to ${address}`).to.exist;
  const href = /<a href="([^"]+)"[^>]*>Accept invitation<\/a>/.exec(String(mail!.parsed.html))?.[1];
  expect(href, 'the Accept button').to.be.a('string');
  const link = href!.replace(/&amp;/g, '&');
  expect(link.startsWith(`${h.baseUrl}/invitations/accept?token=`), link).to.equal(true);
  return link;
}

describeEachDatabase(
  'Browser: inviting and accepting',
  (h) => {
    const smtp = new SmtpTestServer();
    let admin: Browser | null = null;
    let invitee: Browser | null = null;

    before(async () => smtp.start());
    after(async () => smtp.stop());

    beforeEach(async function () {
      requireChromium(this);
      smtp.received.length = 0;
      admin = await openBrowser(`invitation-flow-${h.dialect}`);
    });

    afterEach(async () => {
      await admin?.close();
      await invitee?.close();
      admin = invitee = null;
    });

    it('an admin invites two addresses with different roles; the invitee accepts from the email and lands signed in', async () => {
      await seedAdmin(h);
      const member = (await h.services.roles.builtin('member')).id;
      const viewer = (await h.services.roles.builtin('viewer')).id;
      const page = admin!.page;
      const submit = (selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);

      // Sign in through the real pages: /admin sends the browser to the sign-in form.
      await page.goto(`${h.baseUrl}/admin`);
      await page.fill('input[name="login"]', 'ada');
      await page.fill('input[name="password"]', ADMIN_PASSWORD);
      await Promise.all([page.waitForURL(`${h.baseUrl}/admin`), page.click('button[type="submit"]')]);
      expect(await page.locator('h1').textContent()).to.equal('Overview');

      // The invite page, from the navigation.
      await submit('nav a[href="/admin/invitations"]');
      expect(await page.locator('h1').textContent()).to.equal('Invitations');
      await submit('a[href="/admin/invitations/new"]');
      expect(await page.locator('h1').textContent()).to.equal('Invite people');
      expect(await page.isChecked(`input[name="rows.0.roles"][value="${member}"]`), 'the default role').to.equal(true);
      await page.fill('[name="rows.0.addresses"]', 'nia@example.com');
      await page.fill('[name="rows.0.givenName"]', 'Nia');
      await page.fill('[name="rows.0.message"]', 'Welcome to the team!');

      // A second row, without JavaScript: "Add invite" re-renders the form, values kept.
      await submit('button[value="add"]');
      expect(await page.inputValue('[name="rows.0.addresses"]')).to.equal('nia@example.com');
      expect(await page.inputValue('[name="rows.0.givenName"]')).to.equal('Nia');
      await page.fill('[name="rows.1.addresses"]', 'otto@example.com');
      await page.uncheck(`input[name="rows.1.roles"][value="${member}"]`);
      await page.check(`input[name="rows.1.roles"][value="${viewer}"]`);
      await admin!.screenshot('invite-form');

      await submit('#send-invitations');
      expect(await page.locator('#outcomes tbody tr[data-status="sent"]').count()).to.equal(2);
      expect(await page.locator('#outcomes tbody tr td:nth-child(2)').allTextContents()).to.deep.equal(['nia@example.com', 'otto@example.com']);
      await admin!.screenshot('invitations-sent');

      // The outbox delivers both over real SMTP, each with its own role.
      expect(await deliver(h, smtp)).to.equal(2);
      expect(receivedBy(smtp, 'nia@example.com')[0]!.parsed.text).to.include('Ada Lovelace invited you to join').and.include('with the role Member.').and.include('Welcome to the team!');
      expect(receivedBy(smtp, 'otto@example.com')[0]!.parsed.text).to.include('with the role Viewer.');
      const link = acceptLink(h, smtp, 'nia@example.com');

      // The invitee, in a browser of their own, opens the link from the message.
      invitee = await openBrowser(`invitation-flow-${h.dialect}-invitee`);
      const their = invitee.page;
      await their.goto(link);
      expect(await their.locator('h1').textContent()).to.include('Join');
      expect(await their.locator('main').textContent()).to.include('Member');
      expect(await their.inputValue('#f-givenName')).to.equal('Nia');
      await their.fill('#f-familyName', 'Hire');
      await their.fill('#f-password', NIA_PASSWORD);
      await their.fill('#f-passwordConfirmation', NIA_PASSWORD);
      await invitee.screenshot('accept-page');
      // Accepting signs them in (login ticket → /auth/login → provider → callback) onto /account.
      await Promise.all([their.waitForURL(`${h.baseUrl}/account?done=welcome`), their.click('button[type="submit"]')]);
      expect(await their.locator('h1').textContent()).to.equal('Your account');
      expect(await their.locator('main').textContent()).to.include('nia@example.com');
      await invitee.screenshot('signed-in-account');

      const nia = (await h.services.users.findByLogin('nia@example.com'))!;
      expect(nia).to.deep.include({ status: 'active', givenName: 'Nia', familyName: 'Hire', emailVerified: true });
      expect(nia.roles.map((r) => r.name)).to.deep.equal(['Member']);

      // The admin's list: Nia accepted, Otto still pending; the badge counts one.
      await page.goto(`${h.baseUrl}/admin/invitations`);
      const statuses = Object.fromEntries(
        await Promise.all((await page.locator('#invitations tbody tr').all()).map(async (row) => [(await row.locator('td').first().innerText()).trim().split(/\s/)[0], await row.getAttribute('data-status')])),
      );
      expect(statuses).to.deep.equal({ 'nia@example.com': 'accepted', 'otto@example.com': 'pending' });
      expect(await page.locator('nav .badge').textContent()).to.equal('1');
      await admin!.screenshot('invitations-list');

      // The inviter is told, by mail over SMTP too.
      expect(await deliver(h, smtp)).to.equal(1);
      expect(receivedBy(smtp, 'ada@example.com')[0]!.parsed.subject).to.equal('Nia Hire accepted your invitation to Gatehouse');
    });
  },
  { serve: true },
);
