// OIDC Core §3.1.2.1 and RP-Initiated Logout 1.0 §2: the authorization and logout endpoints
// take POST as well as GET. Over https (a self-signed certificate made for the test) a real
// relying party (openid-client) signs in through a form-encoded POST /oidc/auth and signs
// out through POST /oidc/session/end, and the provider's cookies are SameSite=None; Secure.
// Over plain http (development) the provider stays GET-only and says so at start-up.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Transport } from '../helpers/user-agent.js';
import { CALLBACK, PASSWORD, seedUser, startAuth } from '../helpers/relying-party.js';
import { selfSignedCertificate, tlsFetch, tlsTransport } from '../helpers/self-signed-tls.js';
import { LogCapture } from '../helpers/log-capture.js';

const BYE = 'http://127.0.0.1:9/bye';

async function registerOverTls(h: Harness) {
  const { client, clientSecret } = await h.services.clients.add(h.system(), {
    name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], postLogoutRedirectUris: [BYE],
  });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), {
    [oidc.customFetch]: tlsFetch as never,
  });
  return { client, config };
}

/** A transport that also keeps every Set-Cookie line it saw. */
function recording(inner: Transport, seen: string[]): Transport {
  return async (request) => {
    const res = await inner(request);
    seen.push(...res.setCookies);
    return res;
  };
}

/** The parameters of an authorization URL, as a form body for POST. */
function asForm(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

describeEachDatabase(
  'OIDC over https: POST at the authorization and logout endpoints',
  (h) => {
    it('signs in through a form-encoded POST /oidc/auth and signs out through POST /oidc/session/end', async () => {
      const user = await seedUser(h);
      const { config } = await registerOverTls(h);
      expect(config.serverMetadata().issuer).to.equal(h.baseUrl);

      const cookies: string[] = [];
      const ua = new UserAgent(h.baseUrl, { transport: recording(tlsTransport, cookies) });
      const started = await startAuth(config, 'openid email');
      const endpoint = `${started.url.origin}${started.url.pathname}`;
      expect(endpoint).to.equal(`${h.baseUrl}/oidc/auth`);

      let page = await ua.post(endpoint, asForm(started.url));
      expect(page.status, page.body.slice(0, 300)).to.equal(200);
      expect(page.body).to.include('Sign in');
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
      expect(page.location, page.body.slice(0, 300)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);

      // The interaction and session cookies travel on cross-site form POSTs.
      const provider = cookies.filter((c) => /^_(interaction|interaction_resume|session)(\.sig)?=/.test(c) && !/expires=Thu, 01 Jan 1970/i.test(c));
      expect(provider.some((c) => c.startsWith('_session=')), cookies.join('\n')).to.equal(true);
      for (const c of provider) expect(c.toLowerCase(), c).to.include('samesite=none').and.include('secure');

      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
      expect(tokens.claims()!.sub).to.equal(user.id);

      const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: BYE, state: 'after-logout' });
      expect(`${logout.origin}${logout.pathname}`).to.equal(`${h.baseUrl}/oidc/session/end`);
      const confirm = await ua.post(`${logout.origin}${logout.pathname}`, asForm(logout));
      expect(confirm.status, confirm.body.slice(0, 300)).to.equal(200);
      expect(confirm.body).to.include('Sign out?');
      const done = await ua.submit(confirm, '/session/end/confirm', { logout: 'yes' });
      expect(done.location).to.match(/^http:\/\/127\.0\.0\.1:9\/bye\?state=after-logout/);

      // Signed out: the next authorization, by POST again, asks for the password.
      const again = await ua.post(endpoint, asForm((await startAuth(config, 'openid')).url));
      expect(again.body).to.include('Sign in');
    });

    it('keeps GET at both endpoints', async () => {
      await seedUser(h);
      const { config } = await registerOverTls(h);
      const ua = new UserAgent(h.baseUrl, { transport: tlsTransport });
      const page = await ua.get((await startAuth(config, 'openid')).url.toString());
      expect(page.body).to.include('Sign in');
      const logout = await ua.get(`${h.baseUrl}/oidc/session/end`);
      expect(logout.status).to.equal(200);
    });
  },
  // TLS on the socket here; in production a proxy terminates it and TRUST_PROXY trusts it.
  { serve: true, tls: selfSignedCertificate, env: { TRUST_PROXY: '1' } },
);

const capture = new LogCapture();

describeEachDatabase(
  'OIDC over plain http: GET only at the authorization and logout endpoints',
  (h) => {
    it('answers POST /oidc/auth and POST /oidc/session/end with 404, serves GET, and said so at start-up', async () => {
      await seedUser(h);
      const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], postLogoutRedirectUris: [BYE] });
      const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
      const started = await startAuth(config, 'openid');
      const ua = new UserAgent(h.baseUrl);

      const post = await ua.post(`${h.baseUrl}/oidc/auth`, asForm(started.url));
      expect(post.status).to.equal(404);
      expect((await ua.post(`${h.baseUrl}/oidc/session/end`, { client_id: client.clientId })).status).to.equal(404);

      const get = await ua.get(started.url.toString());
      expect(get.body).to.include('Sign in');
      expect((await ua.get(`${h.baseUrl}/oidc/session/end`)).status).to.equal(200);

      const said = capture.lines.filter((l) => String(l.msg).startsWith('PUBLIC_URL is plain http') && String(l.msg).includes('accept GET only') && l.publicUrl === h.baseUrl);
      expect(said, capture.raw.slice(0, 2000)).to.have.length(1);
    });
  },
  { serve: true, logger: () => capture.logger('info') },
);

const untrusted = new LogCapture();

describeEachDatabase(
  'OIDC over https without TRUST_PROXY: GET only, as cookies cannot be known Secure',
  (h) => {
    it('answers POST /oidc/auth with 404, serves GET, and said so at start-up', async () => {
      await seedUser(h);
      const { config } = await registerOverTls(h);
      const started = await startAuth(config, 'openid');
      const ua = new UserAgent(h.baseUrl, { transport: tlsTransport });
      expect((await ua.post(`${h.baseUrl}/oidc/auth`, asForm(started.url))).status).to.equal(404);
      expect((await ua.get(started.url.toString())).body).to.include('Sign in');
      const said = untrusted.lines.filter((l) => String(l.msg).startsWith('TRUST_PROXY is off') && String(l.msg).includes('accept GET only') && l.publicUrl === h.baseUrl);
      expect(said, untrusted.raw.slice(0, 2000)).to.have.length(1);
    });
  },
  { serve: true, tls: selfSignedCertificate, logger: () => untrusted.logger('info') },
);
