// The directory admin pages through a real sign-in: LDAP settings with "Test
// connection", "Sync now" with its report page refreshing until the run ends, and the CSV
// import — template, multipart upload without JavaScript, preview, import, report — plus
// a broken file's message and the permission.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';
import { waitUntil } from '../helpers/wait.js';
import { ROOT_DN, ROOT_PASSWORD } from '../helpers/ldap-server.js';
import { nextOu, withLdapServer } from './directory-fixtures.js';

const PASSWORD = 'a long enough admin passphrase';

withLdapServer({}, (ldap) => {
  describeEachDatabase(
    'directory admin pages',
    (h) => {
      async function signedIn(builtin: 'admin' | 'viewer' = 'admin'): Promise<UserAgent> {
        const role = await h.services.roles.builtin(builtin);
        await h.services.users.create(h.system(), { username: `pat-${builtin}`, email: `pat-${builtin}@corp.example` }, { source: 'admin', origin: 'page', password: PASSWORD, roleIds: [role.id] });
        const ua = new UserAgent(h.baseUrl);
        const login = await ua.get('/admin');
        const done = await ua.submit(login, '/login', { login: `pat-${builtin}`, password: PASSWORD });
        expect(done.url, done.body.slice(0, 300)).to.match(/\/admin$/);
        return ua;
      }

      /** Follows a report page's refresh until its run has ended. */
      async function finished(ua: UserAgent, url: string): Promise<Page> {
        let page = await ua.get(url);
        await waitUntil(async () => {
          if (!page.body.includes('http-equiv="refresh"')) return true;
          page = await ua.get(url);
          return false;
        }, 'the run to end', 120_000, 200);
        return page;
      }

      function csrfOf(page: Page): string {
        return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      }

      async function upload(ua: UserAgent, page: Page, content: Buffer, fileName = 'people.csv'): Promise<Page> {
        const form = new FormData();
        form.set('_csrf', csrfOf(page));
        form.set('file', new Blob([new Uint8Array(content)], { type: 'text/csv' }), fileName);
        form.set('text', '');
        const res = await fetch(`${h.baseUrl}/admin/directory/import`, {
          method: 'POST',
          body: form,
          redirect: 'manual',
          headers: { cookie: `gh_session=${ua.cookie('gh_session')}; gh_csrf=${ua.cookie('gh_csrf')}`, accept: 'text/html' },
        });
        const location = res.headers.get('location');
        if (location) return ua.get(location);
        return { status: res.status, url: `${h.baseUrl}/admin/directory/import`, body: await res.text(), location: null };
      }

      it('saves LDAP settings, tests the connection with a clear error, syncs now and shows the report', async function () {
        this.timeout(120_000);
        const ou = await ldap.server.addOu(nextOu());
        await ldap.server.addPerson(ou, { uid: 'alice', givenName: 'Alice', sn: 'Doe', mail: 'alice@corp.example' });
        await ldap.server.addPerson(ou, { uid: 'bob', givenName: 'Bob', sn: 'Roe', mail: 'bob@corp.example' });
        const ua = await signedIn();
        const form = await ua.get('/admin/directory/ldap');
        expect(form.body).to.include('LDAP directory sync');
        const fields = { url: ldap.server.url, bindDn: ROOT_DN, baseDn: ou, filter: '(objectClass=inetOrgPerson)', attr_username: 'uid', attr_email: 'mail', attr_givenName: 'givenName', attr_familyName: 'sn', attr_externalId: 'entryUUID', kindMode: 'none', intervalMinutes: '0', groupDn_0: '', roleId_0: '' };

        const wrong = await ua.submit(form, '/admin/directory/ldap', { ...fields, bindSecret: 'wrong', action: 'test' });
        expect(wrong.body).to.include('Connection failed.');
        expect(wrong.body).to.include('The directory refused the bind DN or password (invalid credentials)');
        const right = await ua.submit(form, '/admin/directory/ldap', { ...fields, bindSecret: ROOT_PASSWORD, action: 'test' });
        expect(right.body).to.include('Connection works.');
        expect(right.body).to.include('2 entries match the filter');
        const invalid = await ua.submit(form, '/admin/directory/ldap', { ...fields, url: 'http://nope', bindSecret: ROOT_PASSWORD, action: 'save' });
        expect(invalid.status).to.equal(400);
        expect(invalid.body).to.include('Directory URL must be ldap://host[:port] or ldaps://host[:port].');
        const saved = await ua.submit(form, '/admin/directory/ldap', { ...fields, bindSecret: ROOT_PASSWORD, action: 'save' });
        expect(saved.body).to.include('Settings saved.');
        expect(saved.body).to.include('A password is stored (encrypted). Leave empty to keep it.');
        expect(saved.body).not.to.include(ROOT_PASSWORD);

        const overview = await ua.get('/admin/directory');
        const started = await ua.submit(overview, '/admin/directory/sync');
        expect(started.url).to.match(/\/admin\/directory\/runs\/[0-9a-f-]{36}$/);
        const report = await finished(ua, started.url);
        expect(report.body).to.include('Status: <strong>completed</strong>');
        expect(report.body).to.match(/<th>Created<\/th><td>2<\/td>/);
        expect(report.body).to.include('<td>alice</td><td>Created</td>');
        expect((await ua.get('/admin/directory')).body).to.include('LDAP sync (page)');
      });

      it('imports a CSV: template, upload, preview, import and its report', async function () {
        this.timeout(120_000);
        const ua = await signedIn();
        const template = await fetch(`${h.baseUrl}/admin/directory/import/template.csv`, { headers: { cookie: `gh_session=${ua.cookie('gh_session')}` } });
        expect(template.headers.get('content-type')).to.match(/^text\/csv/);
        expect(template.headers.get('content-disposition')).to.include('attachment');
        expect(await template.text()).to.match(/^username,email,first name/);

        const form = await ua.get('/admin/directory/import');
        expect(form.body).to.include('enctype="multipart/form-data"');
        const broken = await upload(ua, form, Buffer.from('email,first name\r\nann@corp.example,"Ann\r\n'));
        expect(broken.status).to.equal(400);
        expect(broken.body).to.include('A quoted value is never closed');
        expect(await h.services.models.User.count()).to.equal(1);

        const csv = 'username,email,first name,kind,roles\r\nann,ann@corp.example,Ann,user,Member\r\nbo,not-an-email,Bo,user,\r\ncy,cy@corp.example,Cy,requester,\r\n';
        const preview = await upload(ua, form, Buffer.from(csv));
        expect(preview.url).to.match(/\/admin\/directory\/import\/[0-9a-f-]{36}$/);
        expect(preview.body).to.include('Nothing has changed yet.');
        // Each row says its seat pool (Kind) and what it would do.
        expect(preview.body).to.include('<th>Kind</th>');
        expect(preview.body).to.include('<td>ann@corp.example</td><td>User</td><td>Will be created</td>');
        expect(preview.body).to.include('<td>cy@corp.example</td><td>Requester</td><td>Will be created</td>');
        expect(preview.body).to.include('Enter a valid email address');
        expect(await h.services.models.User.count()).to.equal(1);

        const started = await ua.submit(preview, '/run');
        expect(started.url).to.match(/\/admin\/directory\/runs\/[0-9a-f-]{36}$/);
        const report = await finished(ua, started.url);
        expect(report.body).to.include('Status: <strong>completed</strong>');
        expect(report.body).to.match(/<th>Created<\/th><td>2<\/td>/);
        expect(report.body).to.match(/<th>Invalid<\/th><td>1<\/td>/);
        expect(report.body).to.include('<td>cy@corp.example</td><td>Requester</td><td>Created</td>');
        expect((await h.services.users.findByLogin('ann'))!.roles.map((r) => r.name)).to.deep.equal(['Member']);
        expect((await h.services.users.findByLogin('cy'))!).to.include({ kind: 'requester', source: 'csv' });
        // Audited as the admin who imported, from the CSV source.
        const created = (await h.services.audit.recent(20)).filter((e) => e.action === 'user.created' && e.source === 'csv');
        expect(created.map((e) => e.actorLabel)).to.deep.equal(['pat-admin', 'pat-admin']);
        // The same preview cannot be imported twice.
        const again = await ua.submit(preview, '/run');
        expect(again.url).to.equal(started.url);
      });

      it('shows the progress of a running run on a page that refreshes itself', async () => {
        const ua = await signedIn();
        const runs = h.services.directory.runs;
        const id = await runs.create({ kind: 'csv', status: 'running', trigger: 'page', actorLabel: 'pat-admin', fileName: 'big.csv', total: 50_000 });
        await runs.progress(id, { processed: 1200, rows: [{ position: 7, phase: 'result', outcome: 'blocked', label: 'x@corp.example', message: 'Seat limit reached: 5 of 5 user seats in use', kind: 'user' }], nextSeq: 0 });
        const page = await ua.get(`/admin/directory/runs/${id}`);
        expect(page.body).to.match(/<head>[\s\S]*<meta http-equiv="refresh" content="2">[\s\S]*<\/head>/);
        expect(page.body).to.include('Working: 1200 of 50000 rows.');
        expect(page.body).to.include('<progress max="50000" value="1200"');
        expect(page.body).to.include('<td>x@corp.example</td><td>User</td><td>Blocked by seats</td><td>Seat limit reached: 5 of 5 user seats in use</td>');
        await runs.finish(id, 'completed', { processed: 50_000 });
        expect((await ua.get(`/admin/directory/runs/${id}`)).body).not.to.include('http-equiv="refresh"');
      });

      it('is for holders of directory.manage only', async () => {
        const ua = await signedIn('viewer');
        const page = await ua.get('/admin/directory');
        expect(page.status).to.equal(403);
      });
    },
    { serve: true },
  );
});
