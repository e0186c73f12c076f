// A real browser (Debian chromium) signs in to /admin through the real pages: /admin sends
// it to /auth/login, which sends it to the provider's sign-in page (the admin pages are a
// first-party client);
// sign-out ends the page session and the provider session (admin shell).
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

async function seedAdmin(h: Harness) {
  const admin = (await h.services.roles.findByName('Admin'))!;
  return h.services.users.create(
    h.system(),
    { username: 'ada', email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace' },
    { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [admin.id] },
  );
}

describeEachDatabase(
  'Browser: signing in to /admin',
  (h) => {
    let browser: Browser;
    let navigations: string[];

    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser(`admin-sign-in-${h.dialect}`);
      navigations = [];
      // Every top-level navigation, redirects included: the path the browser was sent along.
      browser.page.on('request', (req) => {
        if (req.isNavigationRequest() && req.frame() === browser.page.mainFrame()) navigations.push(req.url());
      });
    });

    afterEach(async () => {
      await browser?.close();
    });

    it('goes through /auth/login and the sign-in page to the admin shell, and sign-out ends both sessions', async () => {
      await seedAdmin(h);
      const { page } = browser;

      await page.goto(`${h.baseUrl}/admin`);
      expect(new URL(page.url()).pathname).to.match(/^\/interaction\/[^/]+$/);
      const paths = navigations.map((u) => new URL(u).pathname);
      expect(paths.slice(0, 3)).to.deep.equal(['/admin', '/auth/login', '/oidc/auth']);
      expect(await page.locator('h1').textContent()).to.equal('Sign in');
      await browser.screenshot('sign-in-page');

      await page.fill('input[name="login"]', 'ada');
      await page.fill('input[name="password"]', PASSWORD);
      await browser.screenshot('sign-in-filled');
      await Promise.all([page.waitForURL(`${h.baseUrl}/admin`), page.click('button[type="submit"]')]);
      // The code came back to the page client's callback before landing on /admin.
      expect(navigations.map((u) => new URL(u).pathname)).to.include('/auth/callback');

      // The admin shell: navigation, the signed-in user, sign-out.
      const header = page.locator('aside.sidebar');
      expect(await page.title()).to.match(/· Gatehouse admin$/);
      expect(await header.locator('nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).to.include.members(['/admin/users', '/admin/roles', '/admin/audit']);
      expect(await header.locator('a[href="/account"]').textContent()).to.equal('Ada Lovelace');
      expect(await header.locator('form[action="/auth/logout"] button').textContent()).to.equal('Sign out');
      await browser.screenshot('admin-shell');

      await page.click('form[action="/auth/logout"] button');
      await page.waitForURL(/\/oidc\/session\/end/);
      expect(await page.locator('h1').textContent()).to.equal('Sign out?');
      await browser.screenshot('sign-out-confirmation');
      await Promise.all([page.waitForURL(`${h.baseUrl}/auth/signed-out`), page.click('button[name="logout"][value="yes"]')]);
      expect(await page.locator('h1').textContent()).to.equal('You are signed out');
      await browser.screenshot('signed-out');

      // The page session is gone from the browser and the database ...
      expect((await browser.context.cookies()).map((c) => c.name)).to.not.include('gh_session');
      expect(await h.services.models.WebSession.count()).to.equal(0);
      // ... and so is the provider's: /admin asks for the password again instead of
      // silently signing back in.
      navigations.length = 0;
      await page.goto(`${h.baseUrl}/admin`);
      expect(new URL(page.url()).pathname).to.match(/^\/interaction\/[^/]+$/);
      expect(await page.locator('h1').textContent()).to.equal('Sign in');
      expect(navigations.map((u) => new URL(u).pathname).slice(0, 2)).to.deep.equal(['/admin', '/auth/login']);
      await browser.screenshot('sign-in-again');
    });
  },
  { serve: true },
);
