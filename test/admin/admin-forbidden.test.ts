// A refused admin page stays inside the console and says in words who may open it, never
// a permission string; a refused form post says who may do that.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn, asCustom } from './admin-kit.js';

describeEachDatabase('admin pages: refused inside the console, in words', (h) => {
  it('tells a viewer who may open Settings, inside the admin layout', async () => {
    const viewer = await asBuiltIn(h, 'viewer');
    const res = await viewer.get('/admin/settings');
    expect(res.status).to.equal(403);
    expect(res.text).to.include('Only people who may change settings can open this page.');
    expect(res.text).to.include('<aside class="sidebar">');
    expect(res.text).to.include('<a href="/admin/users"');
    expect(res.text).to.not.include('settings.manage');
    expect(res.text).to.include('<a href="/">Start page</a>');
  });

  it('words every console permission, and a refused post says who may do that', async () => {
    const viewer = await asBuiltIn(h, 'viewer');
    for (const [path, words] of [
      ['/admin/audit', 'read the audit log'],
      ['/admin/roles/new', 'manage roles'],
      ['/admin/clients', 'manage applications'],
      ['/admin/scim-tokens', 'manage SCIM tokens'],
      ['/admin/directory', 'manage the directory sync and imports'],
      ['/admin/invitations', 'invite people'],
    ] as const) {
      const res = await viewer.get(path);
      expect(res.status, path).to.equal(403);
      expect(res.text, path).to.include(`Only people who may ${words} can open this page.`);
    }
    const posted = await viewer.post('/admin/settings', { organizationName: 'Taken over' });
    expect(posted.status).to.equal(403);
    expect(posted.text).to.include('Only people who may change settings can do that.');
    expect(await h.services.settings.get('organizationName')).to.equal('Gatehouse');
  });

  it('gives an account without users.view the console frame too', async () => {
    const nobody = await asCustom(h, ['assets.view'], 'Asset readers');
    const res = await nobody.get('/admin');
    expect(res.status).to.equal(403);
    expect(res.text).to.include('Only people who may see the people of this organization can open this page.');
    expect(res.text).to.include('<a href="/account">');
  });
});
