// A real relying party (openid-client) runs the full authorization code + PKCE flow over
// HTTP against the provider, on SQLite and MariaDB, plus the refusals: no PKCE, a wrong
// verifier, an unregistered redirect URI, a replayed code, a deactivated user's refresh.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { CALLBACK, introspect, PASSWORD, registerClient, seedUser, signIn, startAuth, tokensFor } from '../helpers/relying-party.js';
import { currentTotpCode } from '../../src/totp/totp-service.js';

describeEachDatabase(
  'OIDC provider with a real relying party',
  (h) => {
    it('runs discovery, sign-in with PKCE, token, ID token, userinfo, refresh, revocation and logout', async () => {
      const user = await seedUser(h);
      const { config } = await registerClient(h);
      expect(config.serverMetadata().issuer).to.equal(h.baseUrl);
      expect(config.serverMetadata().code_challenge_methods_supported).to.deep.equal(['S256']);

      const { tokens, ua, redirect } = await tokensFor(h, config);
      // RFC 9207: the authorization response names the issuer.
      expect(new URL(redirect.location!).searchParams.get('iss')).to.equal(h.baseUrl);
      const claims = tokens.claims()!;
      expect(claims.sub).to.equal(user.id);
      expect(claims.iss).to.equal(h.baseUrl);
      expect(claims.email).to.equal('alice@example.com');
      expect(claims.roles).to.deep.equal(['Member']);
      expect(claims.permissions).to.include('users.view').and.not.include('users.manage');
      // Opaque access token by default: not a JWT.
      expect(tokens.access_token.split('.')).to.have.length(1);

      const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
      expect(info.email).to.equal('alice@example.com');
      expect(info.name).to.equal('Alice Doe');

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);

      await oidc.tokenRevocation(config, refreshed.access_token);
      expect((await introspect(config, refreshed.access_token)).active).to.equal(false);

      const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: refreshed.id_token ?? tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9/bye' });
      const confirm = await ua.get(logoutUrl.toString());
      expect(confirm.body).to.include('Sign out?');
      const done = await ua.submit(confirm, '/session/end/confirm', { logout: 'yes' });
      expect(done.location).to.match(/^http:\/\/127\.0\.0\.1:9\/bye/);
      const again = await ua.get((await startAuth(config)).url.toString());
      expect(again.body).to.include('Sign in');
    });

    it('refuses an authorization request without PKCE', async () => {
      await seedUser(h);
      const { config } = await registerClient(h);
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's' });
      const page = await new UserAgent(h.baseUrl).get(url.toString());
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
      expect(new URL(page.location!).searchParams.get('error')).to.equal('invalid_request');
    });

    it('never redirects to an unregistered redirect URI', async () => {
      const { config } = await registerClient(h);
      const started = await startAuth(config, 'openid', { redirect_uri: 'https://evil.example/cb' });
      const page = await new UserAgent(h.baseUrl).get(started.url.toString());
      expect(page.location).to.equal(null);
      expect(page.status).to.equal(400);
      expect(page.body).to.include('redirect_uri');
    });

    it('answers invalid_grant for a wrong code verifier', async () => {
      await seedUser(h);
      const { config } = await registerClient(h);
      const started = await startAuth(config);
      const redirect = await signIn(new UserAgent(h.baseUrl), started.url);
      const err = await oidc
        .authorizationCodeGrant(config, new URL(redirect.location!), { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: started.state, expectedNonce: started.nonce })
        .catch((e: unknown) => e as { error?: string });
      expect((err as { error?: string }).error).to.equal('invalid_grant');
    });

    it('refuses a replayed code and revokes what the first exchange issued', async () => {
      await seedUser(h);
      const { config } = await registerClient(h);
      const started = await startAuth(config);
      const redirect = await signIn(new UserAgent(h.baseUrl), started.url);
      const checks = { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce };
      const first = await oidc.authorizationCodeGrant(config, new URL(redirect.location!), checks);
      const replay = await oidc.authorizationCodeGrant(config, new URL(redirect.location!), checks).catch((e: unknown) => e as { error?: string });
      expect((replay as { error?: string }).error).to.equal('invalid_grant');
      expect((await introspect(config, first.access_token)).active).to.equal(false);
    });

    it('refuses the refresh token of a deactivated user and introspection says inactive', async () => {
      const user = await seedUser(h);
      const { config } = await registerClient(h);
      const { tokens } = await tokensFor(h, config);
      expect((await introspect(config, tokens.access_token)).active).to.equal(true);
      await h.services.users.deactivate(h.system(), user.id, 'left the company');
      const err = await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as { error?: string });
      expect((err as { error?: string }).error).to.equal('invalid_grant');
      expect((await introspect(config, tokens.access_token)).active).to.equal(false);
    });

    it('issues client-credentials tokens to machine clients', async () => {
      const { config } = await registerClient(h, { type: 'machine' });
      const tokens = await oidc.clientCredentialsGrant(config);
      expect(tokens.access_token).to.be.a('string');
      expect((await introspect(config, tokens.access_token)).active).to.equal(true);
    });

    it('lets first-party clients skip consent', async () => {
      await seedUser(h);
      const { config } = await registerClient(h, { firstParty: true });
      const started = await startAuth(config, 'openid email', { prompt: 'login' });
      const ua = new UserAgent(h.baseUrl);
      let page = await ua.get(started.url.toString());
      page = await ua.submit(page, '/login', { login: 'alice@example.com', password: PASSWORD });
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    });

    it('answers a throttled account exactly like a wrong password', async () => {
      await seedUser(h);
      const { config } = await registerClient(h);
      const ua = new UserAgent(h.baseUrl);
      const wrong = async () => {
        let page = await ua.get((await startAuth(config)).url.toString());
        page = await ua.submit(page, '/login', { login: 'alice', password: 'not the password' });
        return page;
      };
      const firstWrong = await wrong();
      for (let i = 0; i < 9; i++) {
        h.clock.advance(60_000); // beyond the growing delay, within the 15-minute window
        await wrong();
      }
      let page = await ua.get((await startAuth(config)).url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.status).to.equal(firstWrong.status);
      expect(page.body).to.include('The username or password is not right.');
      h.clock.advance(16 * 60_000);
      page = await ua.get((await startAuth(config)).url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.body).to.not.include('The username or password is not right.');
    });

    it('asks enrolled users for a TOTP code and accepts a recovery code once', async () => {
      const user = await seedUser(h);
      const enrolment = await h.services.totp.startEnrolment(user.id);
      const codes = await h.services.totp.confirmEnrolment(h.system(), user.id, currentTotpCode(enrolment.secret, h.clock.now()));
      const { config } = await registerClient(h);

      const ua = new UserAgent(h.baseUrl);
      let page = await ua.get((await startAuth(config)).url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.body).to.include('Two-step verification');
      page = await ua.submit(page, '/totp', { code: '000000' === currentTotpCode(enrolment.secret, h.clock.now()) ? '111111' : '000000' });
      expect(page.status).to.equal(401);
      page = await ua.submit(page, '/totp', { code: currentTotpCode(enrolment.secret, h.clock.now()) });
      if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);

      for (const attempt of ['accepted', 'refused']) {
        const other = new UserAgent(h.baseUrl);
        let p = await other.get((await startAuth(config)).url.toString());
        p = await other.submit(p, '/login', { login: 'alice', password: PASSWORD });
        p = await other.submit(p, '/totp', { code: codes[0]! });
        if (attempt === 'accepted') expect(p.status, p.body.slice(0, 300)).to.not.equal(401);
        else expect(p.status).to.equal(401);
      }
    });

    it('forces TOTP enrolment when the setting requires it', async () => {
      const user = await seedUser(h);
      await h.services.settings.set(h.system(), 'totpRequired', 'all');
      const { config } = await registerClient(h, { firstParty: true });
      const ua = new UserAgent(h.baseUrl);
      let page = await ua.get((await startAuth(config, 'openid', { prompt: 'login' })).url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      expect(page.body).to.include('Set up two-step verification');
      const secret = /<code>([A-Z2-7]+)<\/code>/.exec(page.body)![1]!;
      page = await ua.submit(page, '/totp-enrol', { code: currentTotpCode(secret, h.clock.now()) });
      expect(page.body).to.include('recovery codes');
      page = await ua.submit(page, '/continue');
      expect(page.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
      expect(await h.services.totp.isEnrolled(user.id)).to.equal(true);
    });
  },
  { serve: true },
);
