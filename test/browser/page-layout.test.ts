// Every admin and account page in a real browser (Debian chromium), on a phone (390 × 844)
// and a laptop (1,280 × 800): the page never scrolls sideways (wide tables scroll inside
// their card), every navigation item is readable (contrast at least 4.5:1 against the
// background it is drawn on, computed in the page), and axe-core finds no serious or
// critical accessibility violation. The pages do not differ by database, so SQLite only.
// The list of pages follows the admin routes; detail pages open seeded records.
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { openBrowser, requireChromium, type Browser } from '../helpers/browser.js';
import { REPO_ROOT } from '../helpers/server-process.js';
import { addInvitation, addOwner, addUser } from '../accounts/account-fixtures.js';

const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
];
const IMPORT_CSV = 'email,username,given name,family name,kind\nkim@example.com,kim,Kim,Lee,user\nbad-address,lou,Lou,Ray,requester\n';

/** Records behind every detail page, and the paths of all pages to audit. */
async function seed(h: Harness): Promise<{ ownerId: string; paths: string[] }> {
  const owner = await addOwner(h, { givenName: 'Olivia', familyName: 'Owner-Longname' });
  const user = await addUser(h, { username: 'grace.h', givenName: 'Grace', familyName: 'Hopper', department: 'Engineering and operations' });
  const role = await h.services.roles.create(h.system(), { name: 'Auditors', permissions: ['users.view', 'audit.view'] });
  const { client } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: ['https://timesheets.example.com/a/very/long/callback/path/that/does/not/wrap'], postLogoutRedirectUris: [] });
  const { webhook } = await h.services.webhooks.service.add(h.system(), client.clientId, { url: 'https://timesheets.example.com/hooks/gatehouse/a-long-path-for-events', events: ['user.updated', 'user.deactivated'] });
  await h.services.scimTokens.create(h.system(), 'Entra ID provisioning');
  const provider = await h.services.upstream.add(h.system(), { label: 'Contoso Entra ID', issuer: 'https://login.example.com/tenant-id-0123456789/v2.0', clientId: 'gatehouse' });
  const invitationId = await addInvitation(h, 'nia.with.a.long.address@example.com');
  await h.services.users.update(h.system(), user.id, { title: 'Rear admiral' }, { origin: 'page' });
  const ctx = h.system();
  const preview = await h.services.directory.csvImport.stage(ctx, 'people.csv', Buffer.from(IMPORT_CSV));
  const report = await h.services.directory.csvImport.stage(ctx, 'people-again.csv', Buffer.from(IMPORT_CSV.replace(/kim/g, 'kit').replace(/lou/g, 'lea')));
  const { done } = await h.services.directory.csvImport.start(ctx, report.id);
  await done;
  const paths = [
    '/admin',
    '/admin/users',
    '/admin/users?group=department&sort=lastActivity',
    '/admin/users?view=cards',
    `/admin/users/bulk?action=delete&ids=account:${user.id}&ids=invitee:${invitationId}`,
    '/admin/users/new',
    `/admin/users/${user.id}`,
    `/admin/users/${owner.id}`,
    '/admin/invitations',
    '/admin/invitations/new',
    '/admin/invitations/bulk',
    `/admin/invitations/${invitationId}/edit`,
    `/admin/invitations/${invitationId}/cancel`,
    '/admin/roles',
    '/admin/roles/new',
    `/admin/roles/${role.id}`,
    '/admin/seats',
    '/admin/clients',
    '/admin/clients/new',
    `/admin/clients/${client.clientId}`,
    `/admin/clients/${client.clientId}/remove`,
    `/admin/clients/${client.clientId}/webhooks/new`,
    `/admin/clients/${client.clientId}/webhooks/${webhook.id}`,
    '/admin/scim-tokens',
    '/admin/directory',
    '/admin/directory/ldap',
    '/admin/directory/import',
    `/admin/directory/import/${preview.id}`,
    `/admin/directory/runs/${report.id}`,
    '/admin/upstream',
    `/admin/upstream/${provider.id}`,
    '/admin/settings',
    '/admin/audit',
    '/account',
    '/',
  ];
  return { ownerId: owner.id, paths };
}

/** The navigation's items whose text contrast is below 4.5:1, computed from the page's own styles. */
function lowContrastNavigation(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba | null => {
      const m = /rgba?\(([^)]+)\)/.exec(css);
      if (!m) return null;
      const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0]!, p[1]!, p[2]!, p.length > 3 ? p[3]! : 1];
    };
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]: Rgba) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    // The colour actually behind an element: its own and its ancestors' backgrounds,
    // blended from the first opaque one (or the canvas, white) upwards.
    const background = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let out: Rgba = [255, 255, 255, 1];
      for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a), 1];
      return out;
    };
    const problems: string[] = [];
    const items = document.querySelectorAll('nav a, nav a *, nav .nav-group, .sidebar .brand, .nav-open-label, .sidebar-user a, .sidebar-user button');
    if (items.length === 0) return ['no navigation found'];
    for (const el of items) {
      if (!(el as HTMLElement).innerText?.trim() || (el as HTMLElement).offsetParent === null) continue;
      const fg = parse(getComputedStyle(el).color);
      if (!fg) {
        problems.push(`${el.textContent}: unreadable colour ${getComputedStyle(el).color}`);
        continue;
      }
      const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < 4.5) problems.push(`"${(el as HTMLElement).innerText.trim()}" contrast ${ratio.toFixed(2)}:1`);
    }
    return problems;
  });
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describeEachDatabase(
  'Browser: every admin and account page fits a phone and a laptop, readable and accessible',
  (h) => {
    let browser: Browser;

    beforeEach(async function () {
      requireChromium(this);
      browser = await openBrowser('page-layout', { bypassCSP: true });
    });

    afterEach(async () => {
      await browser?.close();
    });

    it('has no sideways scrolling, a readable navigation and no serious axe-core violation on any page', async function () {
      this.timeout(600_000); // about 70 page loads with axe-core each; generous for a loaded machine
      const { ownerId, paths } = await seed(h);
      const session = await h.services.webSessions.create(ownerId, null);
      // tsx names the in-page helper functions with a __name() call that pages lack.
      await browser.context.addInitScript('window.__name = (f) => f');
      await browser.context.addCookies([{ name: 'gh_session', value: session, url: h.baseUrl }]);
      const { page } = browser;
      const problems: string[] = [];
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        for (const pagePath of paths) {
          const response = await page.goto(`${h.baseUrl}${pagePath}`);
          const where = `${pagePath} at ${viewport.width}px`;
          if (response?.status() !== 200) problems.push(`${where}: status ${response?.status()}`);
          // On a phone the navigation is folded behind the Menu button: open it, so its
          // items are measured too.
          const menu = page.locator('label.nav-open-label');
          if (viewport.name === 'phone' && (await menu.isVisible())) await menu.click();
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          if (scrollWidth > innerWidth) problems.push(`${where}: ${scrollWidth}px wide`);
          if (pagePath.startsWith('/admin')) for (const p of await lowContrastNavigation(page)) problems.push(`${where}: navigation ${p}`);
          for (const v of await seriousAxeViolations(page)) problems.push(`${where}: ${v}`);
          if (problems.length && problems[problems.length - 1]!.startsWith(where)) await browser.screenshot(`${viewport.name}-${pagePath.replace(/\W+/g, '-')}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  },
  { serve: true, dialects: ['sqlite'] },
);
