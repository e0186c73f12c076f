// Upstream sign-in against a second oidc-provider started in the test as the "company IdP":
// account matching by verified email then by subject, policy refusal, seat refusal and
// inactive refusal — through the real pages, with openid-client on both sides.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { Provider } from 'oidc-provider';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';

const CALLBACK = 'http://127.0.0.1:9/cb';

interface UpstreamIdp {
  url: string;
  accounts: Map<string, { email: string; email_verified: boolean; name: string }>;
  close(): Promise<void>;
}

async function startUpstream(gatehouseUrl: string): Promise<UpstreamIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, { email: string; email_verified: boolean; name: string }>();
  const provider = new Provider(url, {
    clients: [{ client_id: 'gatehouse', client_secret: 'upstream-client-secret', redirect_uris: [`${gatehouseUrl}/upstream/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['upstream-test-cookie-key-0123456789abcdef'] },
  });
  server.on('request', provider.callback());
  return { url, accounts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function signInUpstream(h: Harness, idp: UpstreamIdp, providerId: string, subject: string): Promise<Page> {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'App', type: 'web', redirectUris: [CALLBACK], firstParty: true });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'st' });
  const ua = new UserAgent(h.baseUrl, { alsoFollow: [idp.url] });
  const login = await ua.get(url.toString());
  const link = new RegExp(`href="(/interaction/[^"]+/upstream/${providerId})"`).exec(login.body);
  expect(link, 'the sign-in page offers the upstream provider').to.not.equal(null);
  let page = await ua.get(link![1]!);
  expect(page.url.startsWith(idp.url)).to.equal(true);
  page = await ua.submit(page, '/interaction/', { login: subject, password: 'anything' });
  if (page.body.includes('name="prompt" value="consent"')) page = await ua.submit(page, '/interaction/');
  return page;
}

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
