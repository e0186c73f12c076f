// Forgotten password (forgotten-password email, link 30 min):
// the same answer for every address, a single-use 256-bit link from PUBLIC_URL stored
// hashed, over real SMTP; expiry by the clock; the password rules on the new-password page;
// and every session ending after a reset — a real relying party's refresh token (openid-
// client over HTTP) and the pages' own session.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';
import { SmtpTestServer } from '../helpers/smtp-test-server.js';
import { testLogger } from '../helpers/test-databases.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createSmtpTransport, type MailTransport } from '../../src/mail/transport.js';
import { hashToken } from '../../src/ids.js';
import { MINUTE_MS } from '../../src/clock.js';
import { MAX_LIVE_LINKS, ResetLinkError } from '../../src/passwords/password-reset-service.js';
import { InvalidCredentials } from '../../src/signin/sign-in-service.js';

const OLD_PASSWORD = 'the old long passphrase';
const NEW_PASSWORD = 'a brand new passphrase';
const CALLBACK = 'http://127.0.0.1:9/cb';

async function seedUser(h: Harness, username = 'alice', status: 'active' | 'unconfirmed' = 'active') {
  const member = (await h.services.roles.findByName('Member'))!;
  return h.services.users.create(h.system(), { username, email: `${username}@example.com`, givenName: 'Alice', familyName: 'Doe' }, { source: 'admin', origin: 'page', password: OLD_PASSWORD, roleIds: [member.id], status });
}

/** Asks for a link through the pages; returns the page answered. */
async function askForLink(h: Harness, email: string, ua = new UserAgent(h.baseUrl)): Promise<Page> {
  const form = await ua.get('/password/forgot');
  expect(form.status).to.equal(200);
  return ua.submit(form, '/password/forgot', { email });
}

/** The reset link of the newest reset mail to `address` (delivered by the outbox worker). */
async function linkFromMail(h: Harness, address: string): Promise<string> {
  await h.services.mailWorker.runOnce();
  const mails = h.mail.to(address).filter((m) => m.subject.includes('Reset your'));
  expect(mails, `reset mail to ${address}`).to.not.have.length(0);
  const match = /http:\/\/[^\s"<]+\/password\/reset\?token=[A-Za-z0-9_%-]+/.exec(mails.at(-1)!.text);
  expect(match, mails.at(-1)!.text).to.not.equal(null);
  return match![0];
}

async function resetThroughPages(h: Harness, link: string, password: string, confirmation = password, ua = new UserAgent(h.baseUrl)): Promise<Page> {
  const form = await ua.get(link);
  if (form.status !== 200) return form;
  return ua.submit(form, '/password/reset', { password, passwordConfirmation: confirmation });
}

async function canSignIn(h: Harness, password: string): Promise<boolean> {
  try {
    await h.services.signIn.authenticate({ ...h.system(), ip: '203.0.113.7' }, 'alice', password);
    return true;
  } catch (err) {
    if (err instanceof InvalidCredentials) return false;
    throw err;
  }
}

async function auditOutcomes(h: Harness): Promise<unknown[]> {
  const events = (await h.services.audit.recent(100)).reverse();
  return events.filter((e) => e.action === 'password.reset_requested').map((e) => e.details.outcome);
}

describeEachDatabase(
  'forgotten password',
  (h) => {
    it('answers every well-formed address with the same status and page; only an active account gets a link, an unknown address a notice', async () => {
      await seedUser(h, 'alice');
      await seedUser(h, 'una', 'unconfirmed');
      const inactive = await seedUser(h, 'ivan');
      await h.services.users.deactivate(h.system(), inactive.id);

      const existing = await askForLink(h, 'alice@example.com');
      const unknown = await askForLink(h, 'nobody@example.com');
      const unconfirmed = await askForLink(h, 'una@example.com');
      const deactivated = await askForLink(h, 'IVAN@example.com');
      expect(existing.status).to.equal(200);
      expect(existing.body).to.include('Check your email');
      for (const other of [unknown, unconfirmed, deactivated]) {
        expect(other.status).to.equal(existing.status);
        expect(other.body).to.equal(existing.body);
      }

      await h.services.mailWorker.runOnce();
      // An unknown address gets one notice without a link, so both paths do the same work.
      expect(h.mail.sent.map((m) => m.to)).to.deep.equal(['alice@example.com', 'nobody@example.com']);
      expect(h.mail.to('nobody@example.com')[0]!.text).to.include('no account there has this address').and.not.include('/password/reset?token=');
      expect(await auditOutcomes(h)).to.deep.equal(['sent', 'no_account', 'not_active', 'not_active']);
    });

    it('refuses a malformed address beside the field (that tells nothing about accounts)', async () => {
      const page = await askForLink(h, 'not an address');
      expect(page.status).to.equal(400);
      expect(page.body).to.include('Enter a valid email address');
      expect(await h.services.models.PasswordReset.count()).to.equal(0);
    });

    it('mails a 256-bit link built from PUBLIC_URL over real SMTP, stored only as its hash; it works once', async () => {
      const smtp = new SmtpTestServer();
      await smtp.start();
      let transport: MailTransport | null = null;
      try {
        await h.services.settings.set(h.system(), 'organizationName', 'Fluxera Labs');
        await seedUser(h);
        await askForLink(h, 'alice@example.com');
        transport = createSmtpTransport(smtp.url);
        const worker = new OutboxWorker(h.services.models, h.services.outbox, transport, h.clock, testLogger(), { from: 'Gatehouse <no-reply@gatehouse.test>' });
        expect(await worker.runOnce()).to.equal(1);

        expect(smtp.received).to.have.length(1);
        const { parsed, envelopeTo } = smtp.received[0]!;
        expect(envelopeTo).to.deep.equal(['alice@example.com']);
        expect(parsed.subject).to.equal('Reset your Fluxera Labs password');
        const text = parsed.text!;
        const html = parsed.html as string;
        const link = new RegExp(`${h.baseUrl.replace(/[.]/g, '\\.')}/password/reset\\?token=([A-Za-z0-9_-]+)`).exec(text);
        expect(link, text).to.not.equal(null);
        const token = link![1]!;
        // 32 random bytes in base64url: 43 characters, 256 bits.
        expect(token).to.have.length(43);
        expect(Buffer.from(token, 'base64url')).to.have.length(32);
        expect(text).to.include('Hello Alice Doe,');
        expect(text).to.include('The link works once, for 30 minutes.');
        expect(text).to.include('If you did not ask for this, ignore this email');
        expect(html).to.include(`href="${link![0]}"`);
        expect(html).to.include('Choose a new password');

        const rows = await h.services.models.PasswordReset.findAll();
        expect(rows.map((r) => r.tokenHash)).to.deep.equal([hashToken(token)]);
        expect(JSON.stringify(rows.map((r) => r.get({ plain: true })))).to.not.include(token);

        const done = await resetThroughPages(h, link![0], NEW_PASSWORD);
        expect(done.status).to.equal(200);
        expect(done.body).to.include('Your password is changed');
        expect(await canSignIn(h, OLD_PASSWORD)).to.equal(false);
        expect(await canSignIn(h, NEW_PASSWORD)).to.equal(true);

        const again = await new UserAgent(h.baseUrl).get(link![0]);
        expect(again.status).to.equal(410);
        expect(again.body).to.include('This reset link has already been used');
        // Posting the spent link (a form kept open in another tab) is refused as well.
        const tab = new UserAgent(h.baseUrl);
        await tab.get('/password/forgot');
        const replayed = await tab.post('/password/reset', { _csrf: tab.cookie('gh_csrf')!, token, password: 'yet another passphrase', passwordConfirmation: 'yet another passphrase' });
        expect(replayed.status).to.equal(410);
        expect(await canSignIn(h, NEW_PASSWORD)).to.equal(true);
      } finally {
        transport?.close();
        await smtp.stop();
      }
    });

    it('expires the link after 30 minutes by the clock', async () => {
      await seedUser(h);
      await askForLink(h, 'alice@example.com');
      const link = await linkFromMail(h, 'alice@example.com');
      h.clock.advance(29 * MINUTE_MS);
      const ua = new UserAgent(h.baseUrl);
      const form = await ua.get(link);
      expect(form.status).to.equal(200);
      expect(form.body).to.include('Choose a new password');
      h.clock.advance(1 * MINUTE_MS);
      const late = await ua.submit(form, '/password/reset', { password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD });
      expect(late.status).to.equal(410);
      expect(late.body).to.include('This reset link has expired');
      expect(late.body).to.include('Links work for 30 minutes.');
      expect((await new UserAgent(h.baseUrl).get(link)).status).to.equal(410);
      expect(await canSignIn(h, OLD_PASSWORD)).to.equal(true);
    });

    it('explains unknown links', async () => {
      const page = await new UserAgent(h.baseUrl).get('/password/reset?token=not-a-real-token');
      expect(page.status).to.equal(404);
      expect(page.body).to.include('This reset link is not valid');
      expect(page.body).to.include('href="/password/forgot"');
      expect((await new UserAgent(h.baseUrl).get('/password/reset')).status).to.equal(404);
    });

    it('applies the password rules with a clear message beside the field, and the link stays usable', async () => {
      await seedUser(h);
      await askForLink(h, 'alice@example.com');
      const link = await linkFromMail(h, 'alice@example.com');
      const cases: Array<[string, string, string]> = [
        ['short', 'short', 'Use at least 8 characters (15 or more is better).'],
        ['password123', 'password123', 'This password is too common.'],
        ['alice@example.com', 'alice@example.com', 'Do not use your email address or username as your password.'],
        [NEW_PASSWORD, 'something else entirely', 'The two passwords are not the same.'],
      ];
      for (const [password, confirmation, message] of cases) {
        const page = await resetThroughPages(h, link, password, confirmation);
        expect(page.status, message).to.equal(400);
        expect(page.body).to.include('class="field-error"');
        expect(page.body).to.include(message);
        // The refused password is never echoed back into the form.
        expect(page.body).to.not.include(`value="${password}"`);
      }
      expect(await canSignIn(h, OLD_PASSWORD)).to.equal(true);
      const done = await resetThroughPages(h, link, NEW_PASSWORD);
      expect(done.status).to.equal(200);
      expect(await canSignIn(h, NEW_PASSWORD)).to.equal(true);
    });

    it('gives one success to two parallel uses of one link', async () => {
      await seedUser(h);
      await askForLink(h, 'alice@example.com');
      const token = new URL(await linkFromMail(h, 'alice@example.com')).searchParams.get('token')!;
      const ctx = { ...h.system(), source: 'account' as const };
      const results = await Promise.allSettled([
        h.services.passwordResets.reset(ctx, token, 'first parallel passphrase'),
        h.services.passwordResets.reset(ctx, token, 'second parallel passphrase'),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).to.have.length(1);
      expect(rejected).to.have.length(1);
      expect(rejected[0]!.reason).to.be.instanceOf(ResetLinkError);
      expect((rejected[0]!.reason as ResetLinkError).problem).to.equal('used');
      const winner = results[0]!.status === 'fulfilled' ? 'first parallel passphrase' : 'second parallel passphrase';
      expect(await canSignIn(h, winner)).to.equal(true);
      const completed = (await h.services.audit.recent(100)).filter((e) => e.action === 'password.reset_completed');
      expect(completed).to.have.length(1);
    });

    it(`sends at most ${MAX_LIVE_LINKS} live links per account, with the same answer`, async () => {
      await seedUser(h);
      const pages = [];
      for (let i = 0; i <= MAX_LIVE_LINKS; i++) pages.push(await askForLink(h, 'alice@example.com'));
      expect(new Set(pages.map((p) => `${p.status} ${p.body}`)).size).to.equal(1);
      await h.services.mailWorker.runOnce();
      expect(h.mail.to('alice@example.com')).to.have.length(MAX_LIVE_LINKS);
      expect((await auditOutcomes(h)).at(-1)).to.equal('too_many_links');
      // Once they expire, a new request is served again.
      h.clock.advance(31 * MINUTE_MS);
      await askForLink(h, 'alice@example.com');
      await h.services.mailWorker.runOnce();
      expect(h.mail.to('alice@example.com')).to.have.length(MAX_LIVE_LINKS + 1);
    });

    it("ends every session after a reset: the relying party's refresh token, the pages' session, other links", async () => {
      const user = await seedUser(h);
      const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK] });
      const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });

      // A relying party holding a refresh token.
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK, scope: 'openid email offline_access', state, prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const rpBrowser = new UserAgent(h.baseUrl);
      let page = await rpBrowser.get(url.toString());
      page = await rpBrowser.submit(page, '/login', { login: 'alice', password: OLD_PASSWORD });
      if (page.body.includes('/confirm')) page = await rpBrowser.submit(page, '/confirm');
      expect(page.location, page.body.slice(0, 300)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.refresh_token).to.be.a('string');

      // Gatehouse's own account page, signed in through the provider.
      const pageBrowser = new UserAgent(h.baseUrl);
      let account = await pageBrowser.get('/account');
      account = await pageBrowser.submit(account, '/login', { login: 'alice', password: OLD_PASSWORD });
      expect(account.url).to.match(/\/account$/);
      expect(account.body).to.include('alice@example.com');
      expect(await h.services.models.WebSession.count({ where: { userId: user.id } })).to.equal(1);

      // Two links requested; the reset with the second kills the first.
      await askForLink(h, 'alice@example.com');
      const first = await linkFromMail(h, 'alice@example.com');
      await askForLink(h, 'alice@example.com');
      const second = await linkFromMail(h, 'alice@example.com');
      expect(second).to.not.equal(first);
      const done = await resetThroughPages(h, second, NEW_PASSWORD);
      expect(done.status).to.equal(200);

      const refused = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((refused as { error?: string }).error).to.equal('invalid_grant');
      expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);

      expect(await h.services.models.WebSession.count({ where: { userId: user.id } })).to.equal(0);
      const after = await pageBrowser.get('/account');
      expect(after.url).to.not.match(/\/account$/);
      expect(after.body).to.include('Sign in');

      const stale = await new UserAgent(h.baseUrl).get(first);
      expect(stale.status).to.equal(410);
      expect(stale.body).to.include('already been used');

      expect(h.revoker.calls).to.deep.include({ userId: user.id, reason: 'password_reset', inTransaction: true });
      const [completed] = (await h.services.audit.recent(100)).filter((e) => e.action === 'password.reset_completed');
      expect(completed).to.deep.include({ actorId: user.id, source: 'account' });
      expect(completed!.target).to.deep.include({ type: 'user', id: user.id });
    });
  },
  { serve: true },
);
