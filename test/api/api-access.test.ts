// Who may call the management API and with what: client-credentials tokens only for machine applications
// registered with API scopes, only the scopes they list, for the API as resource; a
// relying party's token refused; each scope opens only its endpoints; the application
// acts with its set ∩ its granting admin's current permissions and never past the
// dominance rule.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addWithRole } from '../accounts/account-fixtures.js';
import { API_SCOPES } from '../../src/clients/api-scopes.js';
import { OPERATIONS } from '../../src/api/operations.js';
import type { Operation } from '../../src/api/operation.js';
import { apiClient, registerMachine, tokenFor, tokenRequest, urlOf } from './api-kit.js';


async function call(h: Harness, token: string, op: Operation, url = urlOf(op)) {
  const api = apiClient(h, token);
  return op.method === 'get' || op.method === 'delete' ? api[op.method](url) : api[op.method](url, {});
}

const problemType = (res: { body: { type?: string } }) => res.body.type;

describeEachDatabase('management API: tokens, scopes and permissions', (h) => {
  it('issues API tokens only to machine applications registered for the API, with the scopes they list', async () => {
    const owner = await addOwner(h);
    const ctx = await h.as(owner);
    const plain = await h.services.clients.add(ctx, { name: 'Nightly job', type: 'machine' });
    const refused = await tokenRequest(h, { clientId: plain.client.clientId, secret: plain.clientSecret! }, { scope: 'api:users.read' });
    expect(refused.status).to.equal(400);
    expect(refused.body.error).to.equal('invalid_target');

    const reader = await registerMachine(h, ctx, { name: 'Reader', scopes: ['api:users.read'] });
    const unlisted = await tokenRequest(h, reader, { scope: 'api:users.read api:audit.read' });
    expect(unlisted.status).to.equal(400);
    expect(unlisted.body.error).to.equal('invalid_scope');
    const other = await tokenRequest(h, reader, { scope: 'api:users.read', resource: 'https://elsewhere.example/api' });
    expect(other.body.error).to.equal('invalid_target');
    const ok = await tokenRequest(h, reader, { scope: 'api:users.read' });
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body.scope).to.equal('api:users.read');
    expect((await apiClient(h, ok.body.access_token).get('/api/v1/people')).status).to.equal(200);

    // An application people sign in to may list API scopes (for its people's consent), but
    // gets no client-credentials token with them.
    const web = await h.services.clients.add(ctx, { name: 'Web', type: 'web', redirectUris: ['https://app.example/cb'], apiScopes: ['api:users.read'] });
    const webToken = await tokenRequest(h, { clientId: web.client.clientId, secret: web.clientSecret! }, { scope: 'api:users.read' });
    expect(webToken.status).to.equal(400);
    expect(webToken.body).to.not.have.property('access_token');
    expect(web.client.api?.permissions).to.deep.equal(['users.view']);
  });

  it('refuses a relying party\'s token, a token for no resource, no token and garbage', async () => {
    const owner = await addOwner(h);
    const ctx = await h.as(owner);
    const web = await h.services.clients.add(ctx, { name: 'Timesheets', type: 'web', redirectUris: ['https://app.example/cb'] });
    const personal = new h.edges.oidc.provider.AccessToken({ accountId: owner.id, clientId: web.client.clientId, scope: 'openid api:users.read' } as never);
    const personalValue = await personal.save();
    const res = await apiClient(h, personalValue).get('/api/v1/people');
    expect(res.status).to.equal(401);
    expect(problemType(res)).to.equal('/api/docs#problem-invalid_token');
    expect(res.body.detail).to.include('not issued for the management API');

    const machine = await h.services.clients.add(ctx, { name: 'Job', type: 'machine' });
    const noResource = await tokenRequest(h, { clientId: machine.client.clientId, secret: machine.clientSecret! }, { resource: '' });
    const plainToken = noResource.body.access_token as string;
    expect((await apiClient(h, plainToken).get('/api/v1/people')).status).to.equal(401);
    expect((await apiClient(h, null).get('/api/v1/people')).status).to.equal(401);
    expect((await apiClient(h, 'x'.repeat(40)).get('/api/v1/people')).status).to.equal(401);
    expect((await apiClient(h, 'x'.repeat(5000)).get('/api/v1/people')).status).to.equal(401);
  });

  it('opens each endpoint to its own scope only', async () => {
    const owner = await addOwner(h);
    const machine = await registerMachine(h, await h.as(owner));
    const tokens = new Map<string, string>();
    for (const scope of API_SCOPES) tokens.set(scope, await tokenFor(h, machine, [scope]));
    for (const op of OPERATIONS) {
      for (const scope of API_SCOPES) {
        const res = await call(h, tokens.get(scope)!, op);
        const label = `${op.method.toUpperCase()} ${op.path} with ${scope}`;
        if (scope === op.scope) expect(problemType(res), label).to.not.equal('/api/docs#problem-insufficient_scope');
        else {
          expect(res.status, label).to.equal(403);
          expect(res.body, label).to.include({ type: '/api/docs#problem-insufficient_scope', scope: op.scope });
        }
      }
    }
  });

  it('acts with its set ∩ the granting admin\'s current permissions, and stops with the admin', async () => {
    await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    const target = await addWithRole(h, 'member');
    const machine = await registerMachine(h, await h.as(admin), { name: 'HR sync', scopes: ['api:users.read', 'api:users.write'] });
    const api = apiClient(h, await tokenFor(h, machine, ['api:users.read', 'api:users.write']));
    expect((await api.patch(`/api/v1/people/${target.id}`, { department: 'Sales' })).status).to.equal(200);

    // The admin is demoted to member: users.manage is gone from the application too.
    await h.services.roles.setUserRoles(h.system(), admin.id, [(await h.services.roles.builtin('member')).id]);
    const narrowed = await api.patch(`/api/v1/people/${target.id}`, { department: 'Support' });
    expect(narrowed.status).to.equal(403);
    expect(problemType(narrowed)).to.equal('/api/docs#problem-forbidden');
    expect((await api.get('/api/v1/people')).status).to.equal(200);

    await h.services.users.deactivate(h.system(), admin.id);
    const stopped = await api.get('/api/v1/people');
    expect(stopped.status).to.equal(401);
    expect(stopped.body.detail).to.include('is stopped');
  });

  it('never passes the dominance rule, nor gives what it does not hold', async () => {
    const owner = await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    const member = await addWithRole(h, 'member');
    // An admin cannot hand an application seats.manage, which the admin does not hold.
    const tooMuch = await registerMachine(h, await h.as(admin), { scopes: ['api:seats.manage'] }).catch((e: Error) => e);
    expect(tooMuch).to.be.instanceOf(Error);

    const machine = await registerMachine(h, await h.as(admin), { name: 'Portal', scopes: ['api:users.write', 'api:roles', 'api:seats.read'] });
    const api = apiClient(h, await tokenFor(h, machine, ['api:users.write', 'api:roles', 'api:seats.read']));
    const ownerRole = (await h.services.roles.builtin('owner')).id;
    const adminRole = (await h.services.roles.builtin('admin')).id;

    const onOwner = await api.put(`/api/v1/people/${owner.id}/roles`, { roleIds: [adminRole] });
    expect(onOwner.status).to.equal(403);
    expect(problemType(onOwner)).to.equal('/api/docs#problem-dominance_refused');
    const takeOwner = await api.post(`/api/v1/people/${member.id}/roles`, { roleId: ownerRole });
    expect(takeOwner.status).to.equal(403);
    expect((await api.post(`/api/v1/people/${owner.id}/deactivate`, {})).status).to.equal(403);
    expect((await api.delete(`/api/v1/people/${owner.id}`)).status).to.equal(403);
    const email = await api.patch(`/api/v1/people/${owner.id}`, { email: 'mine@example.com' });
    expect(email.status).to.equal(403);

    // Someone holding a permission the application lacks (billing.manage) is out of reach too.
    const billing = await h.services.roles.create(h.system(), { name: 'Billing', permissions: ['billing.manage', 'users.view'] });
    const payer = await addWithRole(h, 'member');
    await h.services.roles.setUserRoles(h.system(), payer.id, [billing.id]);
    const onPayer = await api.put(`/api/v1/people/${payer.id}/roles`, { roleIds: [] });
    expect(onPayer.status).to.equal(403);
    expect(onPayer.body.detail).to.include('billing.manage');
    // Nor can it set seat limits without seats.manage.
    expect((await api.put('/api/v1/seats/user', { limit: 5 })).status).to.equal(403);
    expect((await h.services.roles.rolesOf(owner.id)).map((r) => r.builtin)).to.deep.equal(['owner']);
  });
});
