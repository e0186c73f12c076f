// ID token signing per client (OIDC Registration §2): clients registered from now on sign
// with RS256 unless they name ES256 or EdDSA; clients registered before keep what they had
// (migration 012 writes it explicitly); the Applications page changes it and shows what a
// relying party configures (issuer, discovery URL, an example configuration). A real
// relying party reads the ID tokens over HTTP.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { QueryTypes } from 'sequelize';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { CALLBACK, PASSWORD, seedUser } from '../helpers/relying-party.js';
import { asBuiltIn, selectedValue } from '../admin/admin-kit.js';
import { migration as clientSigningAlg } from '../../migrations/012-client-signing-alg.js';

async function idTokenAlg(h: Harness, clientId: string, clientSecret: string): Promise<string> {
  const config = await oidc.discovery(new URL(h.baseUrl), clientId, undefined, oidc.ClientSecretBasic(clientSecret), { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
  const ua = new UserAgent(h.baseUrl);
  let page = await ua.get(url.toString());
  page = await ua.submit(page, '/login', { login: 'alice', password: PASSWORD });
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: verifier, expectedState: 's' });
  const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { alg: string; kid: string };
  // The key that signed it is published with that algorithm.
  const jwks = (await (await fetch(`${h.baseUrl}/oidc/jwks`)).json()) as { keys: Array<{ kid: string; alg: string }> };
  expect(jwks.keys.find((k) => k.kid === header.kid)?.alg).to.equal(header.alg);
  return header.alg;
}

describeEachDatabase(
  'OIDC certification: ID token signing algorithm per client',
  (h) => {
    it('signs a new client’s ID tokens with RS256 by default, and with ES256 or EdDSA when named', async () => {
      await seedUser(h);
      for (const [named, expected] of [[undefined, 'RS256'], ['ES256', 'ES256'], ['EdDSA', 'EdDSA']] as const) {
        const { client, clientSecret } = await h.services.clients.add(h.system(), { name: `App ${expected}`, type: 'web', redirectUris: [CALLBACK], firstParty: true, ...(named ? { idTokenSigningAlg: named } : {}) });
        expect(client.idTokenSigningAlg).to.equal(expected);
        expect(await idTokenAlg(h, client.clientId, clientSecret!)).to.equal(expected);
      }
    });

    it('migration 012 writes the algorithm of clients registered before explicitly, leaving named ones alone', async () => {
      await seedUser(h);
      const now = new Date();
      // As stored by a version that omitted the algorithm when the client named none.
      const legacy = { type: 'web', redirect_uris: [CALLBACK], post_logout_redirect_uris: [], backchannel_logout_uri: null };
      const { Client } = h.services.models;
      await Client.create({ clientId: 'legacy-app', name: 'Legacy', metadata: JSON.stringify(legacy), secretHash: null, firstParty: true, createdAt: now, updatedAt: now });
      await Client.create({ clientId: 'named-app', name: 'Named', metadata: JSON.stringify({ ...legacy, id_token_signed_response_alg: 'EdDSA' }), secretHash: null, firstParty: true, createdAt: now, updatedAt: now });

      await clientSigningAlg.up(h.db.sequelize.getQueryInterface());
      await clientSigningAlg.up(h.db.sequelize.getQueryInterface()); // twice: nothing changes

      const rows = await h.db.sequelize.query<{ client_id: string; metadata: string }>('SELECT client_id, metadata FROM oidc_clients ORDER BY client_id', { type: QueryTypes.SELECT });
      const algs = Object.fromEntries(rows.map((r) => [r.client_id, (JSON.parse(r.metadata) as { id_token_signed_response_alg: string }).id_token_signed_response_alg]));
      expect(algs).to.deep.equal({ 'legacy-app': 'ES256', 'named-app': 'EdDSA' });
      expect(JSON.parse(rows[0]!.metadata)).to.deep.include(legacy);
      expect((await h.services.clients.get('legacy-app')).idTokenSigningAlg).to.equal('ES256');
      expect((await h.services.clients.providerMetadata('legacy-app'))!.id_token_signed_response_alg).to.equal('ES256');
    });

    it('the Applications page changes the algorithm, keeps it when the form leaves it out, and shows how to connect', async () => {
      await seedUser(h);
      const admin = await asBuiltIn(h, 'admin');
      const created = await admin.post('/admin/clients', { name: 'Wiki', type: 'web', redirectUris: CALLBACK, postLogoutRedirectUris: '', backchannelLogoutUri: '' });
      expect(created.status).to.equal(200);
      const [client] = await h.services.clients.list();
      expect(client!.idTokenSigningAlg).to.equal('RS256');
      const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(created.text)![1]!;
      // Shown once with the secret, then without it on the application's page.
      expect(created.text).to.include(`OIDC_CLIENT_SECRET=${secret}`);

      const page = await admin.get(`/admin/clients/${client!.clientId}`);
      expect(selectedValue(page.text, 'idTokenSigningAlg')).to.equal('RS256');
      expect(page.text).to.include(`<code id="issuer">${h.baseUrl}</code>`);
      expect(page.text).to.include(`<code id="discovery-url">${h.baseUrl}/.well-known/openid-configuration</code>`);
      const example = /<textarea id="example-configuration"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)![1]!;
      expect(example.split('\n')).to.include.members([`OIDC_ISSUER=${h.baseUrl}`, `OIDC_CLIENT_ID=${client!.clientId}`, `OIDC_REDIRECT_URI=${CALLBACK}`, 'OIDC_SCOPES=openid profile email']);
      expect(page.text).to.not.include(secret);
      // The issuer shown is the one discovery names.
      const discovered = (await (await fetch(`${h.baseUrl}/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovered.issuer).to.equal(h.baseUrl);

      let res = await admin.post(`/admin/clients/${client!.clientId}`, { name: 'Wiki', redirectUris: CALLBACK, postLogoutRedirectUris: '', firstParty: 'on', idTokenSigningAlg: 'ES256' });
      expect(res.status).to.equal(303);
      expect((await h.services.clients.get(client!.clientId)).idTokenSigningAlg).to.equal('ES256');
      expect(await idTokenAlg(h, client!.clientId, secret)).to.equal('ES256');

      res = await admin.post(`/admin/clients/${client!.clientId}`, { name: 'Wiki', redirectUris: CALLBACK, postLogoutRedirectUris: '', firstParty: 'on' });
      expect(res.status).to.equal(303);
      expect((await h.services.clients.get(client!.clientId)).idTokenSigningAlg).to.equal('ES256');

      res = await admin.post(`/admin/clients/${client!.clientId}`, { name: 'Wiki', redirectUris: CALLBACK, idTokenSigningAlg: 'HS256' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Signing algorithm must be one of ES256, RS256, EdDSA.');
    });
  },
  { serve: true },
);
