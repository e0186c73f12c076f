// A new client secret: shown once with a Copy button, the old one refused at once, audited;
// only an actor who dominates every account holding a grant to the application may make
// one (or change where its codes go), since the secret lets its holder act for them.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addWithRole, auditEvents } from '../accounts/account-fixtures.js';
import { asBuiltIn, asCustom } from './admin-kit.js';

const CALLBACK = 'http://127.0.0.1:9/cb';

function tokenRequest(h: Harness, clientId: string, secret: string) {
  return request(h.app).post('/oidc/token').auth(clientId, secret).type('form').send({ grant_type: 'client_credentials' });
}

/** A grant the account gave the application, as the provider stores it. */
async function grant(h: Harness, accountId: string, clientId: string): Promise<void> {
  const id = `grant-${accountId}`;
  await h.services.models.sql.write(
    "INSERT INTO oidc_payloads (model, id, payload, account_id, expires_at) VALUES ('Grant', ?, ?, ?, ?)",
    [id, JSON.stringify({ jti: id, kind: 'Grant', accountId, clientId, openid: { scope: 'openid' } }), accountId, new Date(h.clock.now().getTime() + 86_400_000)],
  );
}

describeEachDatabase('admin pages: a new client secret', (h) => {
  it('replaces the secret at once, shows the new one once with a Copy button, and audits', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Reports job', type: 'machine' });
    expect((await tokenRequest(h, client.clientId, clientSecret!)).status).to.equal(200);
    const confirm = await owner.get(`/admin/clients/${client.clientId}/secret`);
    expect(confirm.status).to.equal(200);
    const res = await owner.post(`/admin/clients/${client.clientId}/secret`);
    expect(res.status).to.equal(200);
    expect(res.get('Cache-Control')).to.include('no-store');
    const fresh = /<code id="client-secret">([^<]+)<\/code>/.exec(res.text)![1]!;
    expect(res.text).to.include('data-copy="client-secret"');
    expect(res.text).to.include('<script src="/scripts/copy.js" defer></script>');
    expect((await tokenRequest(h, client.clientId, clientSecret!)).status, 'the old secret is refused').to.equal(401);
    expect((await tokenRequest(h, client.clientId, fresh)).status).to.equal(200);
    const events = await auditEvents(h, { action: 'client.secret_regenerated' });
    expect(events).to.have.length(1);
    expect(events[0]!.target).to.deep.include({ type: 'client', id: client.clientId });
    expect(events[0]!.details).to.deep.equal({});
  });

  it('is refused to an actor who does not hold every permission of the people using the application', async () => {
    const { client, clientSecret } = await h.services.clients.add(h.system(), { name: 'Timesheets', type: 'web', redirectUris: [CALLBACK] });
    const admin = await addWithRole(h, 'admin');
    await grant(h, admin.id, client.clientId);
    const limited = await asCustom(h, ['clients.manage', 'users.view']);
    const res = await limited.post(`/admin/clients/${client.clientId}/secret`);
    expect(res.status).to.equal(403);
    expect(res.text).to.include('role="alert"');
    expect(res.text).to.not.include('<code id="client-secret">');
    expect((await tokenRequest(h, client.clientId, clientSecret!)).status, 'the secret still works').to.not.equal(401);
    // Changing where its codes go is the same rule.
    const move = await limited.post(`/admin/clients/${client.clientId}`, { name: 'Timesheets', redirectUris: 'https://evil.example.com/cb', firstParty: '' });
    expect(move.status).to.equal(403);
    expect((await h.services.clients.get(client.clientId)).redirectUris).to.deep.equal([CALLBACK]);
    expect(await auditEvents(h, { action: 'client.secret_regenerated' })).to.have.length(0);
    // An actor who dominates every holder may.
    const owner = await asBuiltIn(h, 'owner');
    expect((await owner.post(`/admin/clients/${client.clientId}/secret`)).status).to.equal(200);
  });

  it('a public application has no secret to replace', async () => {
    const owner = await asBuiltIn(h, 'owner');
    const { client } = await h.services.clients.add(h.system(), { name: 'SPA', type: 'public', redirectUris: [CALLBACK] });
    const res = await owner.post(`/admin/clients/${client.clientId}/secret`);
    expect(res.status).to.equal(400);
    expect(res.text).to.include('has no secret');
  });
});
