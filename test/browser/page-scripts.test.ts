// The pages' small scripts in a real browser, under the pages' content security policy
// (scripts served from this origin): the Copy button beside a secret shown once appears
// only when its script runs and puts the exact value on the clipboard; the users filter
// bar applies on change; one box selects every row of the users list. This lives in the
// browser and cannot differ by database, so it runs on SQLite only.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { addOwner, addUser } from '../accounts/account-fixtures.js';

describeEachDatabase(
  'Browser: Copy buttons and filters that apply on change',
  (h) => {
    let browser: Browser;
    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser('copy-button');
    });
    afterEach(async () => {
      await browser?.close();
    });

    it('copies a new client secret to the clipboard', async () => {
      const owner = await addOwner(h);
      const { client } = await h.services.clients.add(h.system(), { name: 'Reports job', type: 'machine' });
      const { page, context } = browser;
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
      const token = await h.services.webSessions.create(owner.id, null);
      await context.addCookies([{ name: 'gh_session', value: token, url: h.baseUrl }]);
      const errors: string[] = [];
      // Script errors and refused loads (a CSP violation is a console error); the browser's own favicon request aside.
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${h.baseUrl}/admin/clients/${client.clientId}/secret`);
      await Promise.all([page.waitForNavigation(), page.click('button[type="submit"].danger')]);
      const secret = (await page.locator('#client-secret').textContent())!.trim();
      const button = page.locator('button[data-copy="client-secret"]');
      await button.waitFor({ state: 'visible' });
      await button.click();
      await page.waitForFunction(() => document.querySelector('button[data-copy="client-secret"]')?.textContent === 'Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(secret);
      expect(errors, 'no CSP or script errors').to.deep.equal([]);
      await browser.screenshot('client-secret-copied');
    });

    it('applies the users filters as soon as a choice changes', async () => {
      const owner = await addOwner(h);
      const token = await h.services.webSessions.create(owner.id, null);
      const { page, context } = browser;
      await context.addCookies([{ name: 'gh_session', value: token, url: h.baseUrl }]);
      await page.goto(`${h.baseUrl}/admin/users`);
      await Promise.all([page.waitForURL(/status=active/), page.selectOption('#f-status', 'active')]);
      expect(new URL(page.url()).searchParams.get('status')).to.equal('active');
      expect(await page.locator('#f-status').inputValue()).to.equal('active');
    });

    it('selects every row of the users list with one box, in the table and in the cards', async () => {
      const owner = await addOwner(h);
      await addUser(h, { username: 'ann', email: 'ann@example.com' });
      await addUser(h, { username: 'ben', email: 'ben@example.com' });
      const token = await h.services.webSessions.create(owner.id, null);
      const { page, context } = browser;
      await context.addCookies([{ name: 'gh_session', value: token, url: h.baseUrl }]);
      const rows = 'input[type="checkbox"][name="ids"][form="bulk-form"]';
      const ticked = () => page.locator(`${rows}:checked`).count();
      for (const view of ['list', 'cards']) {
        await page.goto(`${h.baseUrl}/admin/users${view === 'cards' ? '?view=cards' : ''}`);
        const all = page.locator('input[data-select-all]');
        await all.waitFor({ state: 'visible' });
        const count = await page.locator(rows).count();
        expect(count, view).to.equal(3);
        await all.check();
        expect(await ticked(), view).to.equal(count);
        // One row cleared: the box shows "some".
        await page.locator(rows).first().uncheck();
        expect(await all.evaluate((box) => (box as HTMLInputElement).indeterminate), view).to.equal(true);
        await all.check();
        await Promise.all([page.waitForURL(/\/admin\/users\/bulk/), page.click('#bulk-form button[type="submit"]:not([name])')]);
        expect(await page.locator('#selected li').count(), view).to.equal(3);
      }
    });
  },
  { serve: true, dialects: ['sqlite'] },
);
