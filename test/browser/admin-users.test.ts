// A real browser (Debian chromium) runs the users pages end to end: sign in as
// an admin, add a user, find them by search, switch to card view, change their role,
// deactivate them — their OIDC refresh token, obtained by a real relying party
// (openid-client), then fails — reactivate them and delete them. Screenshots are kept
// under test/artifacts/admin-users-<dialect>/.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { UserAgent } from '../helpers/user-agent.js';

const ADMIN_PASSWORD = 'correct horse battery staple';
const GRACE_PASSWORD = 'a long and quiet river 7';
const CALLBACK = 'http://127.0.0.1:9/cb';

async function seedAdmin(h: Harness) {
  const admin = (await h.services.roles.findByName('Admin'))!;
  return h.services.users.create(
    h.system(),
    { username: 'ada', email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace' },
    { source: 'admin', origin: 'page', password: ADMIN_PASSWORD, roleIds: [admin.id] },
  );
}

/** Grace signs in to an application through the provider; returns its tokens (with a refresh token). */
async function applicationTokens(h: Harness) {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], postLogoutRedirectUris: [], firstParty: false });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile roles offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  });
  const ua = new UserAgent(h.baseUrl);
  let page = await ua.get(url.toString());
  page = await ua.submit(page, '/login', { login: 'grace.h', password: GRACE_PASSWORD });
  if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
  expect(page.location, page.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.refresh_token).to.be.a('string');
  return { config, tokens };
}

describeEachDatabase(
  'Browser: the users pages',
  (h) => {
    let browser: Browser;

    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser(`admin-users-${h.dialect}`);
    });

    afterEach(async () => {
      await browser?.close();
    });

    it('adds a user, finds them, shows cards, changes their role, deactivates (their refresh token fails), reactivates and deletes them', async () => {
      await seedAdmin(h);
      const { page } = browser;
      const submit = (selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);
      // A user page's action forms stay folded until its Actions menu opens one.
      const openAction = async (form: string) => {
        await page.click('#actions-menu summary');
        await page.click(`#actions-menu a[href="#${form}"]`);
      };

      // Sign in through the real pages.
      await page.goto(`${h.baseUrl}/admin/users`);
      await page.fill('input[name="login"]', 'ada');
      await page.fill('input[name="password"]', ADMIN_PASSWORD);
      await Promise.all([page.waitForURL(`${h.baseUrl}/admin/users`), page.click('button[type="submit"]')]);
      expect(await page.locator('h1').textContent()).to.equal('Users');
      await browser.screenshot('users-list');

      // Add a user.
      await page.click('a[href="/admin/users/new"]');
      expect(await page.locator('h1').textContent()).to.equal('Add user');
      await page.fill('#f-givenName', 'Grace');
      await page.fill('#f-familyName', 'Hopper');
      await page.fill('#f-username', 'grace.h');
      await page.fill('#f-email', 'grace@example.com');
      await page.fill('#f-countryCode', '44');
      await page.fill('#f-phone', '020 7946 0958');
      await page.selectOption('#f-gender', 'female');
      await page.fill('#f-birthdate', '1990-04-30');
      await page.fill('#f-department', 'Engineering');
      await page.fill('#f-title', 'Rear admiral');
      expect(await page.isChecked('input[name="roles"][value="' + (await h.services.roles.builtin('member')).id + '"]')).to.equal(true);
      await page.check('#f-passwordMode-typed');
      await page.fill('#f-password', GRACE_PASSWORD);
      await page.fill('#f-passwordConfirmation', GRACE_PASSWORD);
      await browser.screenshot('add-user-filled');
      await submit('form[action="/admin/users/new"] button[type="submit"]');
      expect(await page.locator('h1').textContent()).to.equal('User added');
      expect(await page.locator('.notice').textContent()).to.include('Grace Hopper (grace.h) was added.');
      await browser.screenshot('user-added');
      const grace = (await h.services.users.findByLogin('grace.h'))!;
      expect(grace).to.include({ status: 'active', phone: '+442079460958', department: 'Engineering' });

      // Grace signs in to an application and holds a refresh token.
      const { config, tokens } = await applicationTokens(h);

      // Find her by search, then switch to card view.
      await page.goto(`${h.baseUrl}/admin/users`);
      await page.fill('#f-q', 'hopper');
      await submit('form[role="search"] button[type="submit"]');
      expect(await page.locator('#total').textContent()).to.equal('1 person');
      expect(await page.locator('table.users tbody tr[data-id]').count()).to.equal(1);
      // Columns: the selection box, Username, Name, …
      expect(await page.locator('table.users tbody tr[data-id] td').nth(2).textContent()).to.equal('Grace Hopper');
      await browser.screenshot('search-result');
      await submit('#card-view');
      expect(new URL(page.url()).searchParams.get('view')).to.equal('cards');
      expect(new URL(page.url()).searchParams.get('q')).to.equal('hopper');
      expect(await page.locator('li.user-card').count()).to.equal(1);
      expect(await page.locator('li.user-card h3').textContent()).to.equal('Grace Hopper');
      await browser.screenshot('card-view');

      // Change her role.
      await submit('li.user-card h3 a');
      expect(await page.locator('h1').textContent()).to.include('Grace Hopper');
      const viewer = (await h.services.roles.builtin('viewer')).id;
      const member = (await h.services.roles.builtin('member')).id;
      await openAction('roles');
      await page.check(`#roles input[name="roles"][value="${viewer}"]`);
      await page.uncheck(`#roles input[name="roles"][value="${member}"]`);
      await page.fill('#roles input[name="reason"]', 'read-only while on leave');
      await submit('#roles button[type="submit"]');
      expect(await page.locator('.notice').textContent()).to.equal('Roles saved.');
      expect(await page.locator('#roles-held').textContent()).to.equal('Viewer');
      await browser.screenshot('role-changed');

      // Deactivate her: the application's refresh token stops working.
      await openAction('deactivate');
      await page.fill('#deactivate textarea[name="reason"]', 'on leave');
      await submit('#deactivate button[type="submit"]');
      expect(await page.locator('.notice').textContent()).to.include('Deactivated');
      expect(await page.locator('h1 .status').first().textContent()).to.equal('Inactive');
      await browser.screenshot('deactivated');
      const refused = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((refused as { error?: string }).error).to.equal('invalid_grant');

      // Reactivate her at once.
      await openAction('reactivate');
      await submit('#reactivate button[type="submit"]');
      expect(await page.locator('.notice').textContent()).to.include('Reactivated');
      expect(await page.locator('h1 .status').first().textContent()).to.equal('Active');
      await browser.screenshot('reactivated');

      // Delete her, typing her username to confirm.
      await openAction('delete');
      await page.fill('#delete input[name="confirmUsername"]', 'grace.h');
      await submit('#delete button[type="submit"]');
      expect(new URL(page.url()).pathname).to.equal('/admin/users');
      expect(await page.locator('.notice').textContent()).to.equal('The user was deleted.');
      expect(await page.locator('table.users').textContent()).to.not.include('Grace Hopper');
      await browser.screenshot('deleted');
      expect(await h.services.users.findByLogin('grace.h')).to.equal(null);
    });
  },
  { serve: true },
);
