// Revocation and introspection are limited to the caller's own tokens (oidc/provider.ts
// allowedPolicy; RFC 7009 §2.1, RFC 7662 §4): another registered client learns nothing
// about a token and cannot end it.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';

const PASSWORD = 'a long enough passphrase';
const CALLBACK = 'http://127.0.0.1:9/cb';

async function client(h: Harness, name: string): Promise<oidc.Configuration> {
  const { client, clientSecret } = await h.services.clients.add(h.system(), { name, type: 'web', redirectUris: [CALLBACK] });
  return oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
}

describeEachDatabase(
  'OIDC: a client may only revoke and introspect its own tokens',
  (h) => {
    it("refuses another client's introspection and revocation, and the owner's still work", async () => {
      await h.services.users.create(h.system(), { username: 'alice', email: 'alice@example.com' }, { source: 'admin', origin: 'page', password: PASSWORD });
      const owner = await client(h, 'Timesheets');
      const other = await client(h, 'Snooper');

      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(owner, {
        redirect_uri: CALLBACK, scope: 'openid offline_access', prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      const ua = new UserAgent(h.baseUrl);
      let page = await ua.get(url.toString());
      page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
      if (page.body.includes('/confirm')) page = await ua.submit(page, '/confirm');
      const tokens = await oidc.authorizationCodeGrant(owner, new URL(page.location!), { pkceCodeVerifier: verifier });

      expect((await oidc.tokenIntrospection(other, tokens.access_token)).active).to.equal(false);
      expect(await oidc.tokenIntrospection(other, tokens.refresh_token!)).to.deep.equal({ active: false });
      // RFC 7009 §2.2: the answer is 200 either way; the token is simply not touched.
      await oidc.tokenRevocation(other, tokens.access_token);
      await oidc.tokenRevocation(other, tokens.refresh_token!);

      const seen = await oidc.tokenIntrospection(owner, tokens.access_token);
      expect(seen.active).to.equal(true);
      expect(seen.client_id).to.equal(owner.clientMetadata().client_id);
      const refreshed = await oidc.refreshTokenGrant(owner, tokens.refresh_token!);
      await oidc.tokenRevocation(owner, refreshed.access_token);
      expect((await oidc.tokenIntrospection(owner, refreshed.access_token)).active).to.equal(false);
    });
  },
  { serve: true },
);
