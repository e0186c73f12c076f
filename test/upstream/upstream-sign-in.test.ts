// Upstream sign-in against a second oidc-provider started in the test as the "company IdP":
// account matching by verified email then by subject, policy refusal, seat refusal and
// inactive refusal — through the real pages, with openid-client on both sides.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { signInUpstream, startUpstream, type UpstreamIdp } from './upstream-idp.js';

describeEachDatabase(
  'upstream sign-in through another OpenID provider',
  (h) => {
    let idp: UpstreamIdp;
    let providerId: string;

    beforeEach(async () => {
      idp = await startUpstream(h.baseUrl);
      providerId = (await h.services.upstream.add(h.system(), { label: 'Sign in with Contoso', issuer: idp.url, clientId: 'gatehouse', clientSecret: 'upstream-client-secret' })).id;
    });
    afterEach(async () => idp.close());

    it('matches an existing account by verified email, then by subject', async () => {
      const user = await h.services.users.create(h.system(), { email: 'jane@contoso.com', username: 'jane' }, { source: 'admin', origin: 'page' });
      idp.accounts.set('sub-jane', { email: 'Jane@Contoso.com', email_verified: true, name: 'Jane Roe' });
      let page = await signInUpstream(h, idp, providerId, 'sub-jane');
      expect(page.location, page.body.slice(0, 400)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
      const link = await h.services.models.UpstreamIdentity.findOne({ where: { providerId, subject: 'sub-jane' } });
      expect(link?.userId).to.equal(user.id);
      expect((await h.services.users.get(user.id)).lastSignInAt, 'an upstream sign-in is activity').to.not.equal(null);
      // The upstream changes the address: the stored subject still finds the account.
      idp.accounts.set('sub-jane', { email: 'jane.roe@contoso.com', email_verified: true, name: 'Jane Roe' });
      page = await signInUpstream(h, idp, providerId, 'sub-jane');
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    });

    it('refuses an unknown identity when neither registration nor the provider allows creation', async () => {
      idp.accounts.set('sub-new', { email: 'new@contoso.com', email_verified: true, name: 'New Person' });
      const page = await signInUpstream(h, idp, providerId, 'sub-new');
      expect(page.status).to.equal(403);
      expect(page.body).to.include('There is no account for new@contoso.com');
      expect(await h.services.users.findByLogin('new@contoso.com')).to.equal(null);
    });

    it('refuses an unverified email', async () => {
      await h.services.users.create(h.system(), { email: 'mallory@contoso.com' }, { source: 'admin', origin: 'page' });
      idp.accounts.set('sub-m', { email: 'mallory@contoso.com', email_verified: false, name: 'M' });
      const page = await signInUpstream(h, idp, providerId, 'sub-m');
      expect(page.status).to.equal(403);
      expect(page.body).to.include('did not confirm an email address');
    });

    it('creates the account when the provider may, and refuses it when the seats are used up', async () => {
      await h.services.models.UpstreamProvider.update({ createAccounts: true }, { where: { id: providerId } });
      await h.services.seats.setLimit(h.system(), 'user', 1);
      await h.services.users.create(h.system(), { email: 'first@contoso.com' }, { source: 'admin', origin: 'page' });
      idp.accounts.set('sub-2', { email: 'second@contoso.com', email_verified: true, name: 'Second Person' });
      let page = await signInUpstream(h, idp, providerId, 'sub-2');
      expect(page.status).to.equal(403);
      expect(page.body).to.include('Seat limit reached: 1 of 1 user seats in use');
      expect(await h.services.users.findByLogin('second@contoso.com')).to.equal(null);

      await h.services.seats.setLimit(h.system(), 'user', 2);
      page = await signInUpstream(h, idp, providerId, 'sub-2');
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
      const created = await h.services.users.findByLogin('second@contoso.com');
      expect(created?.source).to.equal('upstream');
      expect(created?.emailVerified).to.equal(true);
    });

    it('refuses an inactive account', async () => {
      const user = await h.services.users.create(h.system(), { email: 'gone@contoso.com' }, { source: 'admin', origin: 'page' });
      await h.services.users.deactivate(h.system(), user.id, 'left');
      idp.accounts.set('sub-gone', { email: 'gone@contoso.com', email_verified: true, name: 'Gone' });
      const page = await signInUpstream(h, idp, providerId, 'sub-gone');
      expect(page.status).to.equal(403);
      expect(page.body).to.include('deactivated');
    });
  },
  { serve: true },
);
