// What the OpenID Basic and Config OP plans check beyond the code flow itself, with a real
// relying party (openid-client) over HTTP: discovery states exactly what is supported,
// login_hint pre-fills the sign-in form, the claims parameter (OIDC Core §5.5) reaches the
// ID token and userinfo within the scopes' and the consent's bounds, and every ID token
// carries `sid` (Back-Channel Logout §2.1), not only those of back-channel clients.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { CALLBACK, PASSWORD, seedUser } from '../helpers/relying-party.js';

async function register(h: Harness, firstParty: boolean) {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], firstParty });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
  return { client, config };
}

async function authorize(config: oidc.Configuration, params: Record<string, string>) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...params });
  return { url, verifier, nonce };
}

/** Signs in (consenting when asked) and exchanges the code; returns the consent page seen, if any. */
async function signInAndExchange(h: Harness, config: oidc.Configuration, params: Record<string, string>, ua = new UserAgent(h.baseUrl)) {
  const started = await authorize(config, params);
  let page = await ua.get(started.url.toString());
  if (page.body.includes('/login')) page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
  const consent = page.body.includes('/confirm') ? page.body : null;
  if (consent) page = await ua.submit(page, '/confirm');
  expect(page.location, page.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: started.verifier, expectedNonce: started.nonce });
  return { tokens, consent, ua };
}

describeEachDatabase(
  'OIDC certification: discovery, login_hint, claims parameter, sid',
  (h) => {
    it('discovery states what is supported and nothing more', async () => {
      const { config } = await register(h, false);
      const m = config.serverMetadata() as Record<string, unknown>;
      expect(m.claims_parameter_supported).to.equal(true);
      expect(m.request_parameter_supported).to.equal(false);
      expect(m.request_uri_parameter_supported).to.equal(false);
      expect(m).to.not.have.property('registration_endpoint');
      expect(m.acr_values_supported).to.deep.equal(['urn:gatehouse:acr:pwd', 'urn:gatehouse:acr:mfa', 'urn:gatehouse:acr:phr']);
      expect(m.claims_supported).to.include.members(['sub', 'acr', 'amr', 'auth_time', 'email', 'roles', 'permissions']);
      expect(m.id_token_signing_alg_values_supported).to.include.members(['RS256', 'ES256', 'EdDSA']);
      expect(m.code_challenge_methods_supported).to.deep.equal(['S256']);
      expect(m.backchannel_logout_session_supported).to.equal(true);
      expect(m).to.not.have.property('frontchannel_logout_supported');
    });

    it('pre-fills the sign-in form from login_hint, escaped, and still asks for the password', async () => {
      await seedUser(h);
      const { config } = await register(h, true);
      const ua = new UserAgent(h.baseUrl);
      let page = await ua.get((await authorize(config, { scope: 'openid', login_hint: 'alice@example.com' })).url.toString());
      expect(page.body).to.match(/name="login" type="text" value="alice@example.com"/);
      expect(page.body).to.include('name="password"');
      expect(page.location).to.equal(null);
      page = await ua.submit(page, '/login', { login: 'alice@example.com', password: PASSWORD });
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);

      const hostile = await new UserAgent(h.baseUrl).get((await authorize(config, { scope: 'openid', login_hint: '"><script>alert(1)</script>' })).url.toString());
      expect(hostile.body).to.include('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(hostile.body).to.not.include('<script>alert(1)');
    });

    it('delivers claims asked for with the claims parameter to the ID token and userinfo, essential and voluntary, after consent', async () => {
      const user = await seedUser(h);
      const { config } = await register(h, false);
      const claims = JSON.stringify({ id_token: { email: { essential: true }, family_name: null }, userinfo: { given_name: null, phone_number: { essential: true } } });
      const { tokens, consent } = await signInAndExchange(h, config, { scope: 'openid', claims, prompt: 'consent' });
      // A third-party application is allowed only what the user saw on the consent page.
      expect(consent).to.include('<code>email</code>').and.include('<code>given_name</code>');
      const idToken = tokens.claims()!;
      expect(idToken).to.include({ sub: user.id, email: 'alice@example.com', family_name: 'Doe' });
      expect(idToken).to.not.have.property('given_name');
      expect(idToken).to.not.have.property('roles');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
      expect(info).to.include({ sub: user.id, given_name: 'Alice' });
      expect(info).to.not.have.property('email');
      // Nothing to give for a claim the account lacks: it is left out, not invented.
      expect(info).to.not.have.property('phone_number');
    });

    it('releases roles and permissions only with the roles scope, whatever the claims parameter asks', async () => {
      await seedUser(h);
      const { config } = await register(h, true);
      const claims = JSON.stringify({ id_token: { roles: { essential: true }, permissions: null }, userinfo: { roles: null } });
      const without = await signInAndExchange(h, config, { scope: 'openid', claims });
      expect(without.tokens.claims()).to.not.have.property('roles');
      expect(without.tokens.claims()).to.not.have.property('permissions');
      expect(await oidc.fetchUserInfo(config, without.tokens.access_token, without.tokens.claims()!.sub)).to.not.have.property('roles');

      const withScope = await signInAndExchange(h, config, { scope: 'openid roles', claims });
      expect(withScope.tokens.claims()!.roles).to.deep.equal(['Member']);
    });

    it('lets a first-party application ask for claims without a consent page', async () => {
      await seedUser(h);
      const { config } = await register(h, true);
      const { tokens, consent } = await signInAndExchange(h, config, { scope: 'openid', claims: JSON.stringify({ id_token: { email: null } }) });
      expect(consent).to.equal(null);
      expect(tokens.claims()!.email).to.equal('alice@example.com');
    });

    it('puts sid into every ID token, refreshed ones too, for a client without a back-channel logout URI', async () => {
      await seedUser(h);
      const { client, config } = await register(h, true);
      expect((await h.services.clients.get(client.clientId)).backchannelLogoutUri).to.equal(null);
      const { tokens } = await signInAndExchange(h, config, { scope: 'openid offline_access', prompt: 'consent' });
      const sid = tokens.claims()!.sid;
      expect(sid).to.be.a('string').and.have.length.greaterThan(10);
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.claims()!.sid).to.equal(sid);
    });
  },
  { serve: true },
);
