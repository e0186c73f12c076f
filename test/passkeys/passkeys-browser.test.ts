// Passkeys end to end in a real browser (Debian chromium) with a virtual authenticator
// (the DevTools protocol's WebAuthn domain): registration on the account page, sign-in
// without a username, the passkey as the second step after a password (a recovery code
// still works instead), removal, a role's policy forcing enrolment and refusing the
// password alone, a step-up an application asks for, and a credential whose counter went
// backwards (a clone) refused. A relying party (openid-client) reads amr and acr.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addVirtualAuthenticator, openBrowser, requireChromium, type Browser, type VirtualAuthenticator } from '../helpers/browser.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PASSWORD, seedUser } from '../helpers/relying-party.js';

// The relying party's callback (Chromium refuses the relying-party helper's port 9 as
// unsafe): a server that only says the code arrived; the test reads it from the URL.
const callbackServer = http.createServer((_req, res) => res.end('callback'));
let CALLBACK = '';
before(async () => {
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  CALLBACK = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/cb`;
});
after(async () => {
  callbackServer.closeAllConnections();
  await new Promise((resolve) => callbackServer.close(resolve));
});

const PHR = 'urn:gatehouse:acr:phr';

async function firstPartyClient(h: Harness): Promise<oidc.Configuration> {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], firstParty: true });
  return oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
}

describeEachDatabase(
  'Browser: passkeys',
  (h) => {
    let browser: Browser;
    let authenticator: VirtualAuthenticator;
    let client: oidc.Configuration | null;

    beforeEach(async function () {
      requireChromium(this);
      client = null;
      browser = await openBrowser(`passkeys-${h.dialect}`);
      authenticator = await addVirtualAuthenticator(browser.page);
    });

    afterEach(async () => {
      await browser?.close();
    });

    async function signInToAccount(login = 'alice') {
      const { page } = browser;
      await page.goto(`${h.baseUrl}/account`);
      await page.fill('input[name="login"]', login);
      await page.fill('input[name="password"]', PASSWORD);
      await Promise.all([page.waitForURL(`${h.baseUrl}/account`), page.click('form[action$="/login"] button[type="submit"]')]);
    }

    async function addPasskey(name: string) {
      const { page } = browser;
      await page.fill('#add-passkey input[name="name"]', name);
      await Promise.all([page.waitForURL(/\/account\?done=passkey-added/), page.click('#add-passkey button[data-passkey-start]')]);
    }

    /** Starts an authorization at a first-party client; returns what finishes it. */
    async function startAuthorization(extra: Record<string, string> = {}) {
      client ??= await firstPartyClient(h);
      const config = client;
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...extra,
      });
      await browser.page.goto(url.toString());
      return {
        /** Waits for the callback and exchanges its code; returns the ID token's claims. */
        async finish(click: () => Promise<void>) {
          await Promise.all([browser.page.waitForURL(`${CALLBACK}?**`), click()]);
          const tokens = await oidc.authorizationCodeGrant(config, new URL(browser.page.url()), { pkceCodeVerifier: verifier, expectedState: state });
          return tokens.claims()!;
        },
      };
    }

    const auditActions = async () => (await h.services.models.AuditEvent.findAll({ order: [['id', 'ASC']] })).map((e) => e.action);

    it('registers named passkeys on the account page and signs in with one, no username typed; the relying party sees hwk/user and the phishing-resistant acr', async () => {
      const user = await seedUser(h);
      await signInToAccount();
      await addPasskey('Work laptop');
      const rows = browser.page.locator('#my-passkeys tbody tr');
      expect(await rows.count()).to.equal(1);
      expect(await rows.first().textContent()).to.include('Work laptop').and.include('Never');
      expect((await authenticator.credentials())[0]!.isResidentCredential).to.equal(true);
      await browser.screenshot('passkey-added');

      // A new browser session: the provider's cookies are gone, the authenticator keeps its key.
      await browser.context.clearCookies();
      const flow = await startAuthorization();
      expect(await browser.page.locator('h1').textContent()).to.equal('Sign in');
      const claims = await flow.finish(() => browser.page.click('#passkey-sign-in button[data-passkey-start]'));
      expect(claims.sub).to.equal(user.id);
      expect(claims.amr).to.deep.equal(['hwk', 'user', 'mfa']);
      expect(claims.acr).to.equal(PHR);

      const stored = await h.services.models.Passkey.findOne({ where: { userId: user.id } });
      expect(stored!.name).to.equal('Work laptop');
      expect(stored!.lastUsedAt).to.be.instanceOf(Date);
      expect(await auditActions()).to.include.members(['passkey.registered', 'passkey.used', 'signin.succeeded']);
      // The challenge was used up: nothing is left of either ceremony.
      expect(await h.services.models.WebAuthnChallenge.count()).to.equal(0);
    });

    it('asks for the passkey after the password, and a recovery code still works instead', async () => {
      const user = await seedUser(h);
      await h.services.totp.startEnrolment(user.id);
      const { currentTotpCode } = await import('../../src/totp/totp-service.js');
      const secret = (await h.services.secrets()).open((await h.services.models.User.findByPk(user.id))!.totpSecret!);
      const codes = await h.services.totp.confirmEnrolment(h.system(), user.id, currentTotpCode(secret, h.clock.now()));
      await signInToAccountWithCode(codes[0]!);
      await addPasskey('Phone');
      await browser.context.clearCookies();

      let flow = await startAuthorization();
      await browser.page.fill('input[name="login"]', 'alice');
      await browser.page.fill('input[name="password"]', PASSWORD);
      await Promise.all([browser.page.waitForURL(/\/interaction\/[^/]+\/login$/), browser.page.click('form[action$="/login"] button[type="submit"]')]);
      expect(await browser.page.locator('h1').textContent()).to.equal('Use your passkey');
      await browser.screenshot('passkey-second-step');
      let claims = await flow.finish(() => browser.page.click('#passkey-step button[data-passkey-start]'));
      expect(claims.amr).to.deep.equal(['pwd', 'hwk', 'user', 'mfa']);
      expect(claims.acr).to.equal(PHR);

      // The authenticator app's codes are offered instead, recovery codes included.
      await browser.context.clearCookies();
      flow = await startAuthorization();
      await browser.page.fill('input[name="login"]', 'alice');
      await browser.page.fill('input[name="password"]', PASSWORD);
      await Promise.all([browser.page.waitForURL(/\/login$/), browser.page.click('form[action$="/login"] button[type="submit"]')]);
      await Promise.all([browser.page.waitForURL(/\/totp$/), browser.page.click('text=Use a code from your authenticator app or a recovery code instead')]);
      await browser.page.fill('input[name="code"]', codes[1]!);
      claims = await flow.finish(() => browser.page.click('form[action$="/totp"] button[type="submit"]'));
      expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
    });

    async function signInToAccountWithCode(code: string) {
      const { page } = browser;
      await page.goto(`${h.baseUrl}/account`);
      await page.fill('input[name="login"]', 'alice');
      await page.fill('input[name="password"]', PASSWORD);
      await Promise.all([page.waitForURL(/\/login$/), page.click('form[action$="/login"] button[type="submit"]')]);
      await page.fill('input[name="code"]', code);
      await Promise.all([page.waitForURL(`${h.baseUrl}/account`), page.click('form[action$="/totp"] button[type="submit"]')]);
    }

    it('removes a passkey from the account page; it no longer signs in', async () => {
      await seedUser(h);
      await signInToAccount();
      await addPasskey('Old key');
      await Promise.all([browser.page.waitForURL(/done=passkey-removed/), browser.page.click('#my-passkeys button:has-text("Remove")')]);
      expect(await browser.page.locator('#my-passkeys').count()).to.equal(0);
      expect(await h.services.models.Passkey.count()).to.equal(0);

      await browser.context.clearCookies();
      await startAuthorization();
      await Promise.all([browser.page.waitForURL(/\/passkey$/), browser.page.click('#passkey-sign-in button[data-passkey-start]')]);
      expect(await browser.page.locator('.error-box').first().textContent()).to.include('That passkey was not accepted');
      expect(await auditActions()).to.include.members(['passkey.removed', 'passkey.refused']);
    });

    it("forces enrolment where a role's policy requires a passkey, then refuses the password alone when passkeys are the only way", async () => {
      await seedUser(h);
      const member = (await h.services.roles.findByName('Member'))!;
      await h.services.settings.update(h.system(), { passkeyPolicy: 'second_factor', passkeyPolicyRoleIds: [member.id] });

      let flow = await startAuthorization();
      await browser.page.fill('input[name="login"]', 'alice');
      await browser.page.fill('input[name="password"]', PASSWORD);
      await Promise.all([browser.page.waitForURL(/\/login$/), browser.page.click('form[action$="/login"] button[type="submit"]')]);
      expect(await browser.page.locator('h1').textContent()).to.equal('Create a passkey');
      await browser.screenshot('forced-enrolment');
      await browser.page.fill('#passkey-enrol input[name="name"]', 'Required key');
      let claims = await flow.finish(() => browser.page.click('#passkey-enrol button[data-passkey-start]'));
      expect(claims.amr).to.deep.equal(['pwd', 'hwk', 'user', 'mfa']);
      expect((await h.services.models.Passkey.findAll()).map((p) => p.name)).to.deep.equal(['Required key']);

      await h.services.settings.update(h.system(), { passkeyPolicy: 'passkey_only' });
      await browser.context.clearCookies();
      flow = await startAuthorization();
      await browser.page.fill('input[name="login"]', 'alice');
      await browser.page.fill('input[name="password"]', PASSWORD);
      await Promise.all([browser.page.waitForURL(/\/login$/), browser.page.click('form[action$="/login"] button[type="submit"]')]);
      expect(await browser.page.locator('.error-box').first().textContent()).to.include('requires a passkey');
      claims = await flow.finish(() => browser.page.click('#passkey-sign-in button[data-passkey-start]'));
      expect(claims.acr).to.equal(PHR);
    });

    it('asks a signed-in user for the passkey when an application prefers the phishing-resistant acr', async () => {
      await seedUser(h);
      await signInToAccount();
      await addPasskey('Laptop');
      // The session was opened with the password alone: without acr_values it is reused as is.
      let flow = await startAuthorization();
      let claims = await flow.finish(async () => undefined);
      expect(claims.acr).to.equal('urn:gatehouse:acr:pwd');

      flow = await startAuthorization({ acr_values: PHR });
      expect(await browser.page.locator('h1').textContent()).to.equal('Use your passkey');
      claims = await flow.finish(() => browser.page.click('#passkey-step button[data-passkey-start]'));
      expect(claims.acr).to.equal(PHR);
      expect(claims.amr).to.include.members(['hwk', 'user']);
    });

    it('refuses a credential whose signature counter went backwards (a cloned authenticator)', async () => {
      const user = await seedUser(h);
      await signInToAccount();
      await addPasskey('Laptop');
      // The server has seen a higher count than the authenticator will send: two devices share the key.
      await h.services.models.Passkey.update({ signCount: 1000 }, { where: { userId: user.id } });
      await browser.context.clearCookies();
      await startAuthorization();
      await Promise.all([browser.page.waitForURL(/\/passkey$/), browser.page.click('#passkey-sign-in button[data-passkey-start]')]);
      expect(await browser.page.locator('.error-box').first().textContent()).to.include('That passkey was not accepted');
      const refused = await h.services.models.AuditEvent.findOne({ where: { action: 'passkey.refused' } });
      expect(JSON.parse(String(refused!.details)).reason).to.equal('counter_not_increased');
      expect(Number((await h.services.models.Passkey.findOne({ where: { userId: user.id } }))!.signCount)).to.equal(1000);
    });
  },
  { serve: true, hostname: 'localhost' },
);
