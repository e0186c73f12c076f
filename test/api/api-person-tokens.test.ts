// A person's token for the management API, with a real relying party (openid-client) over
// HTTP: the API scopes come only from the person's explicit consent, first-party
// applications included; declined, the token carries none; allowed, the person acts as
// themselves with their permissions ∩ the scopes', never beyond, under the dominance rule.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent } from '../helpers/user-agent.js';
import { CALLBACK, PASSWORD, seedUser, startAuth } from '../helpers/relying-party.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { apiResourceIndicator } from '../../src/clients/api-scopes.js';
import { apiClient } from './api-kit.js';

async function registerPortal(h: Harness, apiScopes: string[]) {
  const owner = await addOwner(h);
  const { client, clientSecret } = await h.services.clients.add(await h.as(owner), { name: 'Portal', type: 'web', redirectUris: [CALLBACK], firstParty: true, apiScopes });
  const config = await oidc.discovery(new URL(h.baseUrl), client.clientId, undefined, oidc.ClientSecretBasic(clientSecret!), { execute: [oidc.allowInsecureRequests] });
  return { owner, client, config };
}

/** Signs in as `login`, answers the consent screen with `answer`, exchanges the code for an API token. */
async function personToken(h: Harness, config: oidc.Configuration, scope: string, login: string, answer: '/confirm' | '/confirm-without-api') {
  const resource = apiResourceIndicator(h.baseUrl);
  const started = await startAuth(config, scope, { prompt: 'login', resource });
  const ua = new UserAgent(h.baseUrl);
  let page = await ua.get(started.url.toString());
  page = await ua.submit(page, '/login', { login, password: PASSWORD });
  // The consent screen names every API scope, even for a first-party application.
  expect(page.body, page.body.slice(0, 800)).to.include('Act as you in Gatehouse');
  for (const s of scope.split(' ').filter((x) => x.startsWith('api:'))) expect(page.body).to.include(s);
  page = await ua.submit(page, answer);
  expect(page.location, page.body.slice(0, 500)).to.match(/^http:\/\/127\.0\.0\.1:9\/cb\?/);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.location!), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce }, { resource });
  return tokens;
}

describeEachDatabase(
  'management API: a person\'s token, after consent',
  (h) => {
    it('carries API scopes only once the person allows them on the consent screen', async () => {
      const { config } = await registerPortal(h, ['api:users.read', 'api:users.write']);
      await seedUser(h, 'alice', ['Viewer']);

      const declined = await personToken(h, config, 'openid api:users.read', 'alice', '/confirm-without-api');
      expect(String(declined.scope ?? '')).to.not.include('api:');
      const refused = await apiClient(h, declined.access_token).get('/api/v1/people');
      expect(refused.status).to.equal(403);
      expect(refused.body.type).to.equal('/api/docs#problem-insufficient_scope');

      const allowed = await personToken(h, config, 'openid api:users.read', 'alice', '/confirm');
      expect(allowed.scope).to.include('api:users.read');
      const listed = await apiClient(h, allowed.access_token).get('/api/v1/people');
      expect(listed.status, listed.text).to.equal(200);
    });

    it('never lets the token exceed the person: their permissions ∩ the scopes\'', async () => {
      const { owner, config } = await registerPortal(h, ['api:users.read', 'api:users.write', 'api:roles']);
      const viewer = await seedUser(h, 'alice', ['Viewer']);
      const admin = await seedUser(h, 'bob', ['Admin']);

      // A scope the person's permissions do not back: refused as the person would be.
      const viewerToken = await personToken(h, config, 'openid api:users.read api:users.write', 'alice', '/confirm');
      const asViewer = apiClient(h, viewerToken.access_token);
      expect((await asViewer.get(`/api/v1/people/${viewer.id}`)).status).to.equal(200);
      const create = await asViewer.post('/api/v1/people', { username: 'carol', email: 'carol@example.com', givenName: 'Carol', familyName: 'Doe' });
      expect(create.status).to.equal(403);
      expect(create.body.type).to.equal('/api/docs#problem-forbidden');

      // A permission the person holds but no allowed scope opens: refused for the scope.
      const adminReadOnly = await personToken(h, config, 'openid api:users.read', 'bob', '/confirm');
      const refused = await apiClient(h, adminReadOnly.access_token).post('/api/v1/people', { username: 'carol', email: 'carol@example.com', givenName: 'Carol', familyName: 'Doe' });
      expect(refused.status).to.equal(403);
      expect(refused.body.type).to.equal('/api/docs#problem-insufficient_scope');

      // Both: it works, and the audit names the person through the application.
      const adminToken = await personToken(h, config, 'openid api:users.read api:users.write api:roles', 'bob', '/confirm');
      const asAdmin = apiClient(h, adminToken.access_token);
      const made = await asAdmin.post('/api/v1/people', { username: 'carol', email: 'carol@example.com', givenName: 'Carol', familyName: 'Doe' });
      expect(made.status, made.text).to.equal(201);
      const audit = await h.db.sql.select<{ actor_label: string }>("SELECT actor_label FROM audit_events WHERE action = 'user.created' ORDER BY id DESC", []);
      expect(audit[0]?.actor_label).to.equal('bob via Portal');

      // Dominance: the admin cannot change the owner's roles through the API either.
      const ownerRoles = await asAdmin.put(`/api/v1/people/${owner.id}/roles`, { roleIds: [] });
      expect(ownerRoles.status).to.equal(403);
      expect(await h.services.roles.isOwner(owner.id)).to.equal(true);

      // The person deactivated: the token stops.
      await h.services.users.deactivate(h.system(), admin.id, 'left');
      expect((await asAdmin.get('/api/v1/people')).status).to.equal(401);
    });
  },
  { serve: true },
);
