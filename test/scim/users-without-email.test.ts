// A SCIM client that sends only what RFC 7643 §4.1 requires (userName) makes an account
// without an email address: it comes back without `emails`, any number of
// them coexist, it gets no mail and no activation, its admin page says it has no way to
// sign in yet, and its `email` claims are absent from a real relying party's tokens. Once
// its directory (or an admin) gives it an address, the activation email goes out, once.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { PASSWORD, registerClient, tokensFor } from '../helpers/relying-party.js';
import { addWithRole } from '../accounts/account-fixtures.js';
import { signIn, type AdminClient } from '../admin/admin-kit.js';
import { auditOf, createToken, filterQuery, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const minimal = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName, ...extra });
const emails = (value: string) => [{ value, type: 'work', primary: true }];

/** Set-password links mailed to `address` so far (the outbox delivered first). */
async function activationsTo(h: Harness, address: string): Promise<string[]> {
  await h.services.mailWorker.runOnce();
  return h.mail
    .to(address)
    .filter((m) => m.subject.includes('Set your'))
    .map((m) => decodeURIComponent(/\/password\/reset\?token=([A-Za-z0-9_%-]+)/.exec(m.text)![1]!));
}

const WARNING = /<p class="notice" role="note" id="sign-in-warning">([^<]*)<\/p>/;

describeEachDatabase(
  'SCIM: users without an email address',
  (h) => {
    let scim: ScimClient;
    let admin: AdminClient;
    beforeEach(async () => {
      scim = scimClient(h, await createToken(h, 'Directory'));
      admin = await signIn(h, await addWithRole(h, 'admin'));
    });
    const create = async (userName: string, extra: Record<string, unknown> = {}) => json(await scim.post('/Users', minimal(userName, extra)).expect(201));
    const pageOf = async (id: string) => {
      const res = await admin.get(`/admin/users/${id}`);
      expect(res.status).to.equal(200);
      return res;
    };

    it('creates accounts from userName alone: NULL email, no emails back, two coexist, filters tell them apart', async () => {
      const a = await create('jdoe');
      const b = await create('ksmith', { emails: emails('ksmith@corp.example') });
      const c = await create('lwu');
      expect(a).to.not.have.property('emails');
      expect(json(await scim.get(`/Users/${a.id}`).expect(200))).to.not.have.property('emails');
      for (const u of [a, c]) expect(await h.services.users.get(u.id)).to.include({ email: null, source: 'scim', status: 'active' });
      const present = json(await scim.get(`/Users?${filterQuery('emails pr')}`).expect(200));
      const withAddress = present.Resources.map((r: { id: string }) => r.id);
      expect(withAddress).to.include(b.id).and.not.include(a.id).and.not.include(c.id);
      const byName = json(await scim.get(`/Users?${filterQuery('userName eq "jdoe"')}`).expect(200));
      expect(byName.Resources.map((r: { id: string }) => r.id)).to.deep.equal([a.id]);
      const list = await admin.get('/admin/users?sort=email');
      expect(list.status).to.equal(200);
      expect(list.text).to.match(/<tr data-id="[^"]+">(?:<td class="select">.*?<\/td>)?<td><a href="\/admin\/users\/[^"]+">jdoe<\/a><\/td><td>.*?<\/td><td><span class="muted">no email<\/span><\/td>/);
      // Sorting by email walks accounts with and without one.
      expect(json(await scim.get('/Users?sortBy=emails.value').expect(200)).totalResults).to.equal(4);
    });

    it('under the activation-email setting: nothing is mailed, the page says it cannot sign in, and an address set later sends the activation once', async () => {
      await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'activation_email');
      const u = await create('jdoe', { name: { givenName: 'Jane', familyName: 'Doe' } });
      expect(await h.services.models.MailOutbox.count()).to.equal(0);
      expect(await auditOf(h, 'password.activation_sent')).to.have.length(0);
      let page = await pageOf(u.id);
      expect(page.text).to.include('no email');
      expect(WARNING.exec(page.text)?.[1]).to.match(/^No way to sign in yet: .*activation email.* goes out as soon as it is given an address/);

      await scim.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: 'emails', value: emails('jane.doe@corp.example') })).expect(200);
      expect(await activationsTo(h, 'jane.doe@corp.example')).to.have.length(1);
      // Directories repeat themselves: the same address again sends nothing more.
      await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'emails', value: emails('jane.doe@corp.example') })).expect(200);
      await scim.put(`/Users/${u.id}`, minimal('jdoe', { emails: emails('jane.doe@corp.example'), name: { givenName: 'Jane', familyName: 'Doe' } })).expect(200);
      const links = await activationsTo(h, 'jane.doe@corp.example');
      expect(links).to.have.length(1);
      expect(await auditOf(h, 'password.activation_sent')).to.have.length(1);
      page = await pageOf(u.id);
      expect(page.text).to.not.match(WARNING);

      // The link sets the first password; the account then signs in with it.
      await h.services.passwordResets.reset(h.system(), links[0]!, 'a brand new passphrase');
      expect((await h.services.signIn.authenticate(h.system(), 'jdoe', 'a brand new passphrase')).id).to.equal(u.id);
    });

    it('an address an admin sets on the page sends the waiting activation too', async () => {
      await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'activation_email');
      const u = await create('ksmith');
      const view = await h.services.users.get(u.id);
      const form = { givenName: '', familyName: '', username: view.username, email: 'k.smith@corp.example', countryCode: '', phone: '', gender: '', birthdate: '', department: '', title: '', kind: view.kind };
      expect((await admin.post(`/admin/users/${u.id}/profile`, form)).status).to.equal(303);
      expect(await activationsTo(h, 'k.smith@corp.example')).to.have.length(1);
      // Leaving the (now set) address empty on the page is refused: only directories remove one.
      const refused = await admin.post(`/admin/users/${u.id}/profile`, { ...form, email: '' });
      expect(refused.status).to.equal(400);
      expect(refused.text).to.include('Email is required.');
    });

    it('under the upstream setting the page says an upstream sign-in cannot find it yet', async () => {
      await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'upstream');
      const u = await create('mo');
      const page = await pageOf(u.id);
      expect(WARNING.exec(page.text)?.[1]).to.match(/^No way to sign in yet: .*upstream sign-in finds accounts by email address/);
    });

    it('signs in by username with its directory password; its tokens and userinfo carry no email claims', async () => {
      const u = await create('jdoe', { password: PASSWORD, name: { givenName: 'Jane', familyName: 'Doe' } });
      expect(await h.services.models.MailOutbox.count()).to.equal(0);
      const page = await pageOf(u.id);
      expect(page.text).to.not.match(WARNING);
      const { config } = await registerClient(h);
      const { tokens } = await tokensFor(h, config, 'jdoe');
      const claims = tokens.claims()!;
      expect(claims).to.include({ sub: u.id, name: 'Jane Doe' });
      expect(claims).to.not.have.any.keys('email', 'email_verified');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, u.id);
      expect(info).to.include({ sub: u.id, given_name: 'Jane' });
      expect(info).to.not.have.any.keys('email', 'email_verified');
    });
  },
  { serve: true },
);
