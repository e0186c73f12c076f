// A user's page keeps its action forms closed: the Actions menu opens one in place (a
// link to the form, no script needed) and a refused form comes back open with its message.
// This lives in the browser and cannot differ by database, so it runs on SQLite only.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { addOwner, addUser } from '../accounts/account-fixtures.js';

describeEachDatabase(
  'Browser: a user\'s actions open in place',
  (h) => {
    let browser: Browser;
    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser('user-actions');
    });
    afterEach(async () => {
      await browser?.close();
    });

    it('shows no form until the menu opens one, and reopens a refused one', async () => {
      const owner = await addOwner(h);
      const ann = await addUser(h, { username: 'ann', email: 'ann@example.com' });
      await addUser(h, { username: 'ben', email: 'ben@example.com' });
      const token = await h.services.webSessions.create(owner.id, null);
      const { page, context } = browser;
      await context.addCookies([{ name: 'gh_session', value: token, url: h.baseUrl }]);
      await page.goto(`${h.baseUrl}/admin/users/${ann.id}`);
      expect(await page.locator('#summary').isVisible()).to.equal(true);
      for (const form of ['profile', 'roles', 'deactivate', 'delete']) expect(await page.locator(`section#${form}`).isVisible(), form).to.equal(false);
      await page.click('#actions-menu summary');
      await page.click('#actions-menu a[href="#deactivate"]');
      expect(await page.locator('section#deactivate').isVisible()).to.equal(true);
      expect(await page.locator('section#delete').isVisible()).to.equal(false);
      // A refused change (a username already taken) comes back with its form open.
      await page.goto(`${h.baseUrl}/admin/users/${ann.id}#profile`);
      await page.fill('section#profile input[name="username"]', 'ben');
      await Promise.all([page.waitForNavigation(), page.click('section#profile button[type="submit"]')]);
      expect(await page.locator('section#profile').isVisible()).to.equal(true);
      expect(await page.locator('section#profile').textContent()).to.match(/taken|already/i);
      expect(await page.locator('section#deactivate').isVisible()).to.equal(false);
      await browser.screenshot('user-profile-refused');
    });
  },
  { serve: true, dialects: ['sqlite'] },
);
