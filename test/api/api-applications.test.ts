// /applications over the management API: the same ClientService operations as the
// Applications page, the rule that changing who can act through an application needs every
// permission it can exercise, a new secret ending the old client-credentials tokens, API
// scopes edited after registration, and CORS per application origin.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addWithRole } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor, tokenRequest } from './api-kit.js';
import { asBuiltIn, signIn } from '../admin/admin-kit.js';

const ORIGIN = 'https://portal.example';

async function lastAudit(h: Harness, action: string) {
  const rows = await h.db.sql.select<{ actor_label: string; source: string }>('SELECT actor_label, source FROM audit_events WHERE action = ? ORDER BY id DESC', [action]);
  return rows[0];
}

describeEachDatabase('management API: applications', (h) => {
  it('lists, registers (secret once), reads, changes, regenerates and removes applications as the page does', async () => {
    const owner = await addOwner(h);
    const manager = await registerMachine(h, await h.as(owner), { name: 'Provisioner', scopes: ['api:clients'] });
    const api = apiClient(h, await tokenFor(h, manager, ['api:clients']));

    const created = await api.post('/api/v1/applications', { name: 'Timesheets', type: 'web', redirectUris: ['https://time.example/cb'] });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.clientSecret).to.be.a('string').with.length.above(30);
    const id = created.body.application.id as string;
    expect((await api.get(`/api/v1/applications/${id}`)).body).to.not.have.property('clientSecret');
    expect((await api.get('/api/v1/applications')).body.items.map((a: { id: string }) => a.id)).to.include(id);

    const changed = await api.patch(`/api/v1/applications/${id}`, { redirectUris: ['https://time.example/callback'] });
    expect(changed.status, changed.text).to.equal(200);
    expect(changed.body.redirectUris).to.deep.equal(['https://time.example/callback']);
    expect((await h.services.clients.get(id)).redirectUris).to.deep.equal(['https://time.example/callback']);
    const bad = await api.patch(`/api/v1/applications/${id}`, { redirectUris: ['http://time.example/cb'] });
    expect(bad.status).to.equal(400);
    expect(bad.body.type).to.equal('/api/docs#problem-validation_failed');
    // More addresses than a registration can hold: refused in words, not a failed write.
    const many = Array.from({ length: 50 }, (_, i) => `https://time.example/${i}/${'a'.repeat(1900)}`);
    const tooMany = await api.patch(`/api/v1/applications/${id}`, { redirectUris: many, postLogoutRedirectUris: many });
    expect(tooMany.status, tooMany.text).to.equal(400);
    expect(tooMany.body.type).to.equal('/api/docs#problem-validation_failed');

    const secret = await api.post(`/api/v1/applications/${id}/secret`);
    expect(secret.status, secret.text).to.equal(200);
    expect(secret.body.clientSecret).to.be.a('string');
    expect(await lastAudit(h, 'client.secret_regenerated')).to.deep.include({ actor_label: 'Provisioner', source: 'api' });

    expect((await api.delete(`/api/v1/applications/${id}`)).status).to.equal(204);
    expect((await api.get(`/api/v1/applications/${id}`)).status).to.equal(404);
  });

  it('refuses changing an application\'s access to whoever does not hold everything it can exercise', async () => {
    const owner = await addOwner(h);
    const ownerCtx = await h.as(owner);
    const admin = await addWithRole(h, 'admin');
    const powerful = await registerMachine(h, ownerCtx, { name: 'Billing sync', scopes: ['api:seats.manage'] });
    const manager = await registerMachine(h, await h.as(admin), { name: 'Provisioner', scopes: ['api:clients'] });
    const api = apiClient(h, await tokenFor(h, manager, ['api:clients']));

    for (const res of [
      await api.post(`/api/v1/applications/${powerful.clientId}/secret`),
      await api.patch(`/api/v1/applications/${powerful.clientId}`, { apiScopes: ['api:users.read'] }),
    ]) {
      expect(res.status, res.text).to.equal(403);
      expect(res.body.type).to.equal('/api/docs#problem-forbidden');
    }
    // A rename changes nobody's access.
    expect((await api.patch(`/api/v1/applications/${powerful.clientId}`, { name: 'Billing' })).status).to.equal(200);

    // An application the owner signed in to: its redirect URIs are the owner's to change.
    const web = await h.services.clients.add(ownerCtx, { name: 'Timesheets', type: 'web', redirectUris: ['https://time.example/cb'] });
    await new h.edges.oidc.provider.Grant({ accountId: owner.id, clientId: web.client.clientId }).save();
    const moved = await api.patch(`/api/v1/applications/${web.client.clientId}`, { redirectUris: ['https://evil.example/cb'] });
    expect(moved.status).to.equal(403);
    expect(moved.body.type).to.equal('/api/docs#problem-dominance_refused');
    expect((await h.services.clients.get(web.client.clientId)).redirectUris).to.deep.equal(['https://time.example/cb']);
  });

  it('binds an application registered through another to the same admin, so it stops with that admin', async () => {
    await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    const manager = await registerMachine(h, await h.as(admin), { name: 'Provisioner', scopes: ['api:clients', 'api:users.read'] });
    const api = apiClient(h, await tokenFor(h, manager, ['api:clients']));
    const created = await api.post('/api/v1/applications', { name: 'Child', type: 'machine', apiScopes: ['api:users.read'] });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.application.apiGrantedBy).to.equal(admin.username);
    const child = { clientId: created.body.application.id as string, secret: created.body.clientSecret as string, name: 'Child' };
    const childApi = apiClient(h, await tokenFor(h, child, ['api:users.read']));
    expect((await childApi.get('/api/v1/people')).status).to.equal(200);

    await h.services.users.deactivate(h.system(), admin.id);
    const stopped = await childApi.get('/api/v1/people');
    expect(stopped.status).to.equal(401);
    expect(stopped.body.detail).to.include('is stopped');
  });

  it('ends the client-credentials tokens of an application whose secret is regenerated', async () => {
    const owner = await addOwner(h);
    const ctx = await h.as(owner);
    const app = await registerMachine(h, ctx, { scopes: ['api:users.read'] });
    const token = await tokenFor(h, app, ['api:users.read']);
    const other = await registerMachine(h, ctx, { name: 'Other', scopes: ['api:users.read'] });
    const otherToken = await tokenFor(h, other, ['api:users.read']);
    expect((await apiClient(h, token).get('/api/v1/people')).status).to.equal(200);

    const secret = await h.services.clients.regenerateSecret(ctx, app.clientId);
    expect((await apiClient(h, token).get('/api/v1/people')).status).to.equal(401);
    expect((await tokenRequest(h, app, { scope: 'api:users.read' })).status).to.equal(401);
    expect((await apiClient(h, await tokenFor(h, { ...app, secret }, ['api:users.read'])).get('/api/v1/people')).status).to.equal(200);
    // Only that application's tokens.
    expect((await apiClient(h, otherToken).get('/api/v1/people')).status).to.equal(200);
  });

  it('edits an application\'s API scopes after registration, within what the editor holds', async () => {
    const owner = await addOwner(h);
    const ownerCtx = await h.as(owner);
    const app = await registerMachine(h, ownerCtx, { scopes: ['api:users.read'] });
    expect((await tokenRequest(h, app, { scope: 'api:audit.read' })).body.error).to.equal('invalid_scope');

    const manager = await registerMachine(h, ownerCtx, { name: 'Provisioner', scopes: ['api:clients'] });
    const api = apiClient(h, await tokenFor(h, manager, ['api:clients']));
    const widened = await api.patch(`/api/v1/applications/${app.clientId}`, { apiScopes: ['api:users.read', 'api:audit.read'] });
    expect(widened.status, widened.text).to.equal(200);
    expect(widened.body.apiScopes).to.deep.equal(['api:audit.read', 'api:users.read']);
    expect(widened.body.apiPermissions).to.include('audit.view');
    expect((await apiClient(h, await tokenFor(h, app, ['api:audit.read'])).get('/api/v1/audit')).status).to.equal(200);

    // Narrowed: tokens already issued lose the scope at once.
    const wide = await tokenFor(h, app, ['api:users.read', 'api:audit.read']);
    expect((await api.patch(`/api/v1/applications/${app.clientId}`, { apiScopes: ['api:users.read'] })).status).to.equal(200);
    expect((await apiClient(h, wide).get('/api/v1/audit')).status).to.equal(403);

    // A scope whose permission the editor lacks cannot be covered: refused, nothing changes.
    const tooMuch = await api.patch(`/api/v1/applications/${app.clientId}`, { apiScopes: ['api:users.read', 'api:seats.manage'] });
    expect(tooMuch.status).to.equal(400);
    expect(tooMuch.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['apiPermissions']);
    const forced = await api.patch(`/api/v1/applications/${app.clientId}`, { apiScopes: ['api:users.read', 'api:seats.manage'], apiPermissions: ['users.view', 'seats.manage'] });
    expect(forced.status).to.equal(403);
    expect((await h.services.clients.get(app.clientId)).api!.scopes).to.deep.equal(['api:users.read']);
  });

  it('answers CORS only for the origins an application lists, and only with its own tokens', async () => {
    const owner = await addOwner(h);
    const ctx = await h.as(owner);
    const app = await registerMachine(h, ctx, { scopes: ['api:users.read'] });
    const other = await registerMachine(h, ctx, { name: 'Other', scopes: ['api:users.read'] });
    const token = await tokenFor(h, app, ['api:users.read']);
    const preflight = () => request(h.app).options('/api/v1/people').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');

    // Off by default.
    const closed = await preflight();
    expect(closed.status).to.equal(403);
    expect(closed.get('access-control-allow-origin')).to.equal(undefined);
    const unlisted = await request(h.app).get('/api/v1/people').set('Origin', ORIGIN).set('Authorization', `Bearer ${token}`);
    expect(unlisted.get('access-control-allow-origin')).to.equal(undefined);
    expect(unlisted.status).to.equal(403);

    const bad = await h.services.clients.update(ctx, app.clientId, { corsOrigins: ['https://portal.example/path'] }).catch((e: Error) => e);
    expect(bad).to.be.instanceOf(Error);
    await h.services.clients.update(ctx, app.clientId, { corsOrigins: [ORIGIN] });
    const open = await preflight();
    expect(open.status).to.equal(204);
    expect(open.get('access-control-allow-origin')).to.equal(ORIGIN);
    expect(open.get('access-control-allow-methods')).to.include('GET');
    expect(open.get('access-control-allow-headers')).to.include('Authorization');

    const res = await apiClient(h, token).raw('get', '/api/v1/people', (r) => r.set('Origin', ORIGIN));
    expect(res.status).to.equal(200);
    expect(res.get('access-control-allow-origin')).to.equal(ORIGIN);
    expect(res.get('vary')).to.include('Origin');

    // Another application's token from that origin: refused.
    const foreign = await apiClient(h, await tokenFor(h, other, ['api:users.read'])).raw('get', '/api/v1/people', (r) => r.set('Origin', ORIGIN));
    expect(foreign.status).to.equal(403);
    // Servers (no Origin) are unaffected.
    const server = await apiClient(h, token).get('/api/v1/people');
    expect(server.status).to.equal(200);
    expect(server.get('access-control-allow-origin')).to.equal(undefined);
  });

  it('edits API scopes and CORS origins on the Applications page, under the same rule', async () => {
    const owner = await addOwner(h);
    const ownerPage = await signIn(h, owner);
    const app = await registerMachine(h, await h.as(owner), { name: 'Portal', scopes: ['api:users.read'] });
    const form = await ownerPage.get(`/admin/clients/${app.clientId}`);
    expect(form.text).to.include('name="corsOrigins"').and.include('value="api:audit.read"');

    const saved = await ownerPage.post(`/admin/clients/${app.clientId}`, { name: 'Portal', idTokenSigningAlg: 'RS256', apiScopes: ['api:users.read', 'api:audit.read'], corsOrigins: ORIGIN, apiFieldsShown: '1' });
    expect(saved.status, saved.text.slice(0, 500)).to.equal(303);
    let now = await h.services.clients.get(app.clientId);
    expect(now.api!.scopes).to.deep.equal(['api:audit.read', 'api:users.read']);
    expect(now.corsOrigins).to.deep.equal([ORIGIN]);
    // A form without the API fields leaves them as they are.
    expect((await ownerPage.post(`/admin/clients/${app.clientId}`, { name: 'Portal 2', idTokenSigningAlg: 'RS256' })).status).to.equal(303);
    now = await h.services.clients.get(app.clientId);
    expect(now.api!.scopes).to.deep.equal(['api:audit.read', 'api:users.read']);

    // An admin below the application's set (the owner's, seats aside): refused, unchanged.
    const billing = await registerMachine(h, await h.as(owner), { name: 'Billing', scopes: ['api:seats.manage'] });
    const adminPage = await asBuiltIn(h, 'admin');
    const refused = await adminPage.post(`/admin/clients/${billing.clientId}`, { name: 'Billing', idTokenSigningAlg: 'RS256', apiScopes: ['api:seats.manage', 'api:users.read'], corsOrigins: '', apiFieldsShown: '1' });
    expect(refused.status).to.equal(403);
    expect((await h.services.clients.get(billing.clientId)).api!.scopes).to.deep.equal(['api:seats.manage']);
  });
});
