// How the user signed in, as relying parties read it: `amr` (RFC 8176: pwd, otp, mfa) and
// an `acr` saying whether a second factor was used; acr_values preferring a second factor
// step a password-only session up to the TOTP code (only the code is asked), an essential
// acr that cannot be met ends the request with unmet_authentication_requirements, and
// max_age and prompt=login ask for the password again. A real relying party over HTTP.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';
import { CALLBACK, PASSWORD, seedUser } from '../helpers/relying-party.js';
import { currentTotpCode } from '../../src/totp/totp-service.js';

const PWD = 'urn:gatehouse:acr:pwd';
const MFA = 'urn:gatehouse:acr:mfa';

async function register(h: Harness) {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK], firstParty: true });
  return oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
}

async function enrolTotp(h: Harness, userId: string): Promise<string> {
  const enrolment = await h.services.totp.startEnrolment(userId);
  await h.services.totp.confirmEnrolment(h.system(), userId, currentTotpCode(enrolment.secret, h.clock.now()));
  return enrolment.secret;
}

/** One authorization request: the first page the user agent lands on, and how to finish it. */
async function begin(h: Harness, config: oidc.Configuration, ua: UserAgent, params: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...params });
  const page = await ua.get(url.toString());
  const finish = async (last: Page) => {
    expect(last.location, last.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?code=/);
    return (await oidc.authorizationCodeGrant(config, new URL(last.location!), { pkceCodeVerifier: verifier, expectedNonce: nonce })).claims()!;
  };
  return { page, finish };
}

const isPasswordForm = (p: Page) => p.body.includes('name="password"');
const isTotpForm = (p: Page) => p.body.includes('Two-step verification');

describeEachDatabase(
  'OIDC certification: amr, acr, acr_values, max_age, prompt=login',
  (h) => {
    it('says pwd for a password sign-in and pwd, otp, mfa for password plus TOTP', async () => {
      const user = await seedUser(h);
      const config = await register(h);
      const first = new UserAgent(h.baseUrl);
      let run = await begin(h, config, first);
      let claims = await run.finish(await first.submit(run.page, '/login', { login: 'alice', password: PASSWORD }));
      expect(claims.amr).to.deep.equal(['pwd']);
      expect(claims.acr).to.equal(PWD);
      expect(claims.auth_time).to.be.a('number');

      const secret = await enrolTotp(h, user.id);
      const ua = new UserAgent(h.baseUrl);
      run = await begin(h, config, ua);
      let page = await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD });
      expect(isTotpForm(page)).to.equal(true);
      h.clock.advance(30_000);
      page = await ua.submit(page, '/totp', { code: currentTotpCode(secret, h.clock.now()) });
      claims = await run.finish(page);
      expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
      expect(claims.acr).to.equal(MFA);
    });

    it('steps a password-only session up to the TOTP code when acr_values prefer a second factor', async () => {
      const user = await seedUser(h);
      const config = await register(h);
      const ua = new UserAgent(h.baseUrl);
      let run = await begin(h, config, ua);
      expect((await run.finish(await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD }))).acr).to.equal(PWD);

      // Not enrolled: acr_values are voluntary, so the session carries on as it is.
      run = await begin(h, config, ua, { acr_values: MFA });
      expect((await run.finish(run.page)).acr).to.equal(PWD);

      const secret = await enrolTotp(h, user.id);
      // Without acr_values the session is enough: no page at all.
      run = await begin(h, config, ua);
      expect((await run.finish(run.page)).acr).to.equal(PWD);

      run = await begin(h, config, ua, { acr_values: `${MFA} ${PWD}` });
      expect(isTotpForm(run.page), run.page.body.slice(0, 500)).to.equal(true);
      expect(isPasswordForm(run.page)).to.equal(false);
      const wrong = await ua.submit(run.page, '/totp', { code: currentTotpCode(secret, h.clock.now()) === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(401);
      h.clock.advance(30_000);
      const claims = await run.finish(await ua.submit(wrong, '/totp', { code: currentTotpCode(secret, h.clock.now()) }));
      expect(claims.acr).to.equal(MFA);
      expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
      expect(claims.sub).to.equal(user.id);

      // The session now has the second factor: asking again needs no page.
      run = await begin(h, config, ua, { acr_values: MFA });
      expect((await run.finish(run.page)).acr).to.equal(MFA);
    });

    it('keeps a silent request (prompt=none) at the session\'s level even when acr_values prefer a second factor', async () => {
      const user = await seedUser(h);
      const config = await register(h);
      const ua = new UserAgent(h.baseUrl);
      let run = await begin(h, config, ua);
      await run.finish(await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD }));
      await enrolTotp(h, user.id);
      run = await begin(h, config, ua, { acr_values: `${MFA} ${PWD}`, prompt: 'none' });
      const claims = await run.finish(run.page);
      expect(claims.acr).to.equal(PWD);
      expect(claims.amr).to.deep.equal(['pwd']);
    });

    it('answers unmet_authentication_requirements when an essential second factor cannot be had, and meets it when it can', async () => {
      const user = await seedUser(h);
      const config = await register(h);
      const essential = JSON.stringify({ id_token: { acr: { essential: true, values: [MFA] } } });
      const ua = new UserAgent(h.baseUrl);
      const run = await begin(h, config, ua, { claims: essential, state: 'st' });
      const refused = await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD });
      expect(refused.location).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
      expect(new URL(refused.location!).searchParams.get('error')).to.equal('unmet_authentication_requirements');

      const secret = await enrolTotp(h, user.id);
      const other = new UserAgent(h.baseUrl);
      const again = await begin(h, config, other, { claims: essential });
      let page = await other.submit(again.page, '/login', { login: 'alice', password: PASSWORD });
      expect(isTotpForm(page)).to.equal(true);
      h.clock.advance(30_000);
      page = await other.submit(page, '/totp', { code: currentTotpCode(secret, h.clock.now()) });
      expect((await again.finish(page)).acr).to.equal(MFA);
    });

    it('asks for the password again for prompt=login and an exceeded max_age, and not within max_age', async () => {
      await seedUser(h);
      const config = await register(h);
      const ua = new UserAgent(h.baseUrl);
      let run = await begin(h, config, ua);
      const first = await run.finish(await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD }));

      run = await begin(h, config, ua, { max_age: '3600' });
      expect(isPasswordForm(run.page)).to.equal(false);
      expect((await run.finish(run.page)).auth_time).to.equal(first.auth_time);

      run = await begin(h, config, ua, { prompt: 'login' });
      expect(isPasswordForm(run.page)).to.equal(true);
      await run.finish(await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD }));

      await new Promise((resolve) => setTimeout(resolve, 1100));
      run = await begin(h, config, ua, { max_age: '0' });
      expect(isPasswordForm(run.page)).to.equal(true);
      const fresh = await run.finish(await ua.submit(run.page, '/login', { login: 'alice', password: PASSWORD }));
      expect(fresh.auth_time).to.be.greaterThan(first.auth_time as number);
    });
  },
  { serve: true },
);
