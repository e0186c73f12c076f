// A client application on another origin receives its authorization response in a real
// browser. helmet's default CSP `form-action 'self'` makes Chromium abort the redirect that
// follows the sign-in or consent POST when it leads to another origin;
// src/app.ts relaxes form-action on /interaction and /oidc. This proves chromium really
// arrives at the client's callback with a code, and that the code is good.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

/** The "client app": its /cb page shows the code it was sent. */
async function startClientApp(): Promise<{ server: http.Server; port: number; callbacks: URL[] }> {
  const callbacks: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/cb') return void res.writeHead(404).end();
    callbacks.push(url);
    const code = (url.searchParams.get('code') ?? '').replace(/[^A-Za-z0-9_-]/g, '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><title>Client app</title><h1>Client app callback</h1><p>Authorization code: <code id="code">${code}</code></p>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, callbacks };
}

async function seedUser(h: Harness) {
  const member = (await h.services.roles.findByName('Member'))!;
  return h.services.users.create(
    h.system(),
    { username: 'grace', email: 'grace@example.com', givenName: 'Grace', familyName: 'Hopper' },
    { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [member.id] },
  );
}

describeEachDatabase(
  'Browser: a client on another origin receives its redirect under our CSP',
  (h) => {
    let browser: Browser;
    let clientApp: Awaited<ReturnType<typeof startClientApp>>;

    beforeEach(async function () {
      requireChromium(this);
      clientApp = await startClientApp();
      browser = await openBrowser(`cross-origin-client-${h.dialect}`);
    });

    afterEach(async () => {
      await browser?.close();
      clientApp?.server.closeAllConnections();
      await new Promise((resolve) => clientApp?.server.close(resolve));
    });

    it('signs in, consents, and lands on the client callback with a code that exchanges for tokens', async () => {
      const user = await seedUser(h);
      // localhost, not 127.0.0.1 (PUBLIC_URL's host): a different origin from the provider.
      const redirectUri = `http://localhost:${clientApp.port}/cb`;
      expect(new URL(redirectUri).origin).to.not.equal(new URL(h.baseUrl).origin);
      const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [redirectUri] });
      const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const authUrl = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const { page } = browser;

      const signIn = await page.goto(authUrl.toString());
      expect(new URL(page.url()).pathname).to.match(/^\/interaction\/[^/]+$/);
      // The sign-in page is served under a CSP (the redirect below is not allowed by its absence).
      expect(signIn!.headers()['content-security-policy']).to.be.a('string').and.include("default-src 'self'");
      expect(await page.locator('h1').textContent()).to.equal('Sign in');
      await browser.screenshot('sign-in-page');
      await page.fill('input[name="login"]', 'grace@example.com');
      await page.fill('input[name="password"]', PASSWORD);
      await browser.screenshot('sign-in-filled');
      await Promise.all([page.waitForURL(/\/interaction\/[^/]+$/), page.click('button[type="submit"]')]);

      // A third-party client: consent, whose POST is followed by the cross-origin redirect.
      expect(await page.locator('h1').textContent()).to.equal('Allow Timesheets?');
      await browser.screenshot('consent');
      await Promise.all([page.waitForURL(`${redirectUri}?**`), page.click('button[type="submit"]')]);
      await browser.screenshot('client-callback');

      const arrived = new URL(page.url());
      expect(arrived.origin).to.equal(`http://localhost:${clientApp.port}`);
      expect(arrived.searchParams.get('state')).to.equal(state);
      expect(arrived.searchParams.get('iss')).to.equal(h.baseUrl);
      const code = arrived.searchParams.get('code');
      expect(code).to.be.a('string').and.not.equal('');
      expect(await page.locator('#code').textContent()).to.equal(code);
      expect(clientApp.callbacks).to.have.length(1);

      const tokens = await oidc.authorizationCodeGrant(config, arrived, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      expect(tokens.claims()!.sub).to.equal(user.id);
      expect(tokens.claims()!.email).to.equal('grace@example.com');
    });
  },
  { serve: true },
);
