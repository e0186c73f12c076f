// An application's webhooks over the management API: the WebhookService calls the pages
// make — the secret shown once, a change made through the API reaching a real receiver
// signed, changes, rotation with both secrets signing, deliveries and "send again",
// removal; bad input answers 400 problem+json and registers nothing; api:clients only.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { apiClient, registerMachine, tokenFor, type ApiClient } from './api-kit.js';
import { suiteReceiver, WebhookReceiver } from '../webhooks/webhook-receiver.js';
import { drain } from '../webhooks/webhook-fixtures.js';

const SCOPES = ['api:clients', 'api:users.write'];

async function managerApi(h: Harness): Promise<{ api: ApiClient; appId: string }> {
  const owner = await addOwner(h);
  const manager = await registerMachine(h, await h.as(owner), { name: 'Provisioner', scopes: SCOPES });
  const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
  return { api: apiClient(h, await tokenFor(h, manager, SCOPES)), appId: client.clientId };
}

function expectProblem(res: { status: number; get(name: string): string | undefined; body: { type?: string; detail?: string } }, status: number, type: string, detail?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.get('content-type')).to.include('application/problem+json');
  expect(res.body.type).to.equal(`/api/docs#problem-${type}`);
  if (detail) expect(res.body.detail).to.match(detail);
}

describeEachDatabase(
  'management API: webhooks',
  (h) => {
    const receiver = suiteReceiver();

    it('registers a webhook with its secret once, and a change through the API reaches the receiver signed', async () => {
      const { api, appId } = await managerApi(h);
      const base = `/api/v1/applications/${appId}/webhooks`;
      const created = await api.post(base, { url: receiver.url, events: ['user.created', 'user.deactivated'] });
      expect(created.status, created.text).to.equal(201);
      const secret = created.body.secret as string;
      expect(secret).to.match(/^whsec_/);
      expect(created.body.webhook).to.include({ applicationId: appId, url: receiver.url, enabled: true, status: 'active', latestDelivery: null });
      const id = created.body.webhook.id as string;
      expect(created.get('location')).to.equal(`${base}/${id}`);

      const read = await api.get(`${base}/${id}`);
      const listed = await api.get(base);
      expect(listed.body.items.map((w: { id: string }) => w.id)).to.deep.equal([id]);
      for (const res of [read, listed]) expect(res.text).not.to.include(secret);

      const person = await api.post('/api/v1/people', { email: 'ann@corp.example', username: 'ann' });
      expect(person.status, person.text).to.equal(201);
      await drain(h);
      expect(receiver.received.map((r) => r.json.type)).to.deep.equal(['user.created']);
      expect(WebhookReceiver.verifies(receiver.received[0]!, secret)).to.equal(true);
      expect(receiver.received[0]!.json.data).to.deep.include({ actor: { kind: 'application', source: 'api' } });
      expect((await api.get(`${base}/${id}`)).body.latestDelivery).to.include({ eventType: 'user.created', status: 'delivered', lastStatusCode: 204 });

      const audit = await h.db.sql.select<{ actor_label: string; source: string }>("SELECT actor_label, source FROM audit_events WHERE action = 'webhook.created'", []);
      expect(audit).to.deep.equal([{ actor_label: 'Provisioner', source: 'api' }]);
    });

    it('changes, rotates with an overlap, lists deliveries, sends one again and removes', async () => {
      const { api, appId } = await managerApi(h);
      const base = `/api/v1/applications/${appId}/webhooks`;
      const created = await api.post(base, { url: receiver.url, events: ['user.created'] });
      const id = created.body.webhook.id as string;
      const first = created.body.secret as string;

      const disabled = await api.patch(`${base}/${id}`, { events: ['user.created', 'user.deleted'], enabled: false });
      expect(disabled.status, disabled.text).to.equal(200);
      expect(disabled.body).to.include({ enabled: false, status: 'disabled', disabledReason: 'disabled by an admin', url: receiver.url });
      expect(disabled.body.events).to.deep.equal(['user.created', 'user.deleted']);
      const moved = await api.patch(`${base}/${id}`, { url: `${receiver.url}/v2`, enabled: true });
      expect(moved.body).to.include({ enabled: true, status: 'active', url: `${receiver.url}/v2` });
      expect((await h.services.webhooks.service.get(id)).url).to.equal(`${receiver.url}/v2`);

      const rotated = await api.post(`${base}/${id}/secret`);
      expect(rotated.status, rotated.text).to.equal(200);
      const second = rotated.body.secret as string;
      expect(second).to.match(/^whsec_/).and.not.equal(first);
      expect(rotated.body.webhook.previousSecretExpiresAt).to.be.a('string');
      expect((await api.get(`${base}/${id}`)).text).not.to.include(second);

      await api.post('/api/v1/people', { email: 'bob@corp.example', username: 'bob' });
      await drain(h);
      const [delivered] = receiver.received;
      expect(WebhookReceiver.verifies(delivered!, second)).to.equal(true);
      expect(WebhookReceiver.verifies(delivered!, first)).to.equal(true);

      const deliveries = await api.get(`${base}/${id}/deliveries?limit=5`);
      expect(deliveries.status).to.equal(200);
      const [delivery] = deliveries.body.items;
      expect(delivery).to.include({ eventType: 'user.created', status: 'delivered', messageId: delivered!.id });
      expect(delivery.attemptLog).to.have.length(1);
      expect((await api.post(`${base}/${id}/deliveries/${delivery.id}/resend`)).status).to.equal(202);
      await drain(h);
      expect(receiver.received.map((r) => r.id)).to.deep.equal([delivered!.id, delivered!.id]);
      expectProblem(await api.post(`${base}/${id}/deliveries/999999/resend`), 404, 'not_found');

      const actions = await h.db.sql.select<{ action: string }>("SELECT action FROM audit_events WHERE action LIKE 'webhook.%' AND source = 'api' ORDER BY id", []);
      expect(actions.map((a) => a.action)).to.deep.equal(['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.secret_rotated', 'webhook.resent']);

      expect((await api.delete(`${base}/${id}`)).status).to.equal(204);
      expectProblem(await api.get(`${base}/${id}`), 404, 'not_found');
      expect((await api.get(base)).body.items).to.deep.equal([]);
    });

    it('refuses bad input with a clear 400 and registers nothing; reaches a webhook only through its application', async () => {
      const { api, appId } = await managerApi(h);
      const base = `/api/v1/applications/${appId}/webhooks`;
      expectProblem(await api.post(base, { url: 'http://crm.example.com/hooks', events: ['user.created'] }), 400, 'validation_failed', /must use https/);
      expectProblem(await api.post(base, { url: 'not a url', events: ['user.created'] }), 400, 'validation_failed', /full URL/);
      const unknown = await api.post(base, { url: receiver.url, events: ['user.exploded'] });
      expectProblem(unknown, 400, 'validation_failed', /user\.created/);
      expect(unknown.body.errors[0].field).to.equal('body.events.0');
      expectProblem(await api.post(base, { url: receiver.url, events: [] }), 400, 'validation_failed', /at least one event/);
      expectProblem(await api.post(base, { url: receiver.url }), 400, 'validation_failed', /"events" is required/);
      expectProblem(await api.post('/api/v1/applications/no-such-app/webhooks', { url: receiver.url, events: ['user.created'] }), 404, 'not_found');
      expect(await h.services.models.Webhook.count()).to.equal(0);

      const { client: other } = await h.services.clients.add(h.system(), { name: 'Wiki', type: 'web', redirectUris: ['https://wiki.example.com/cb'] });
      const { webhook } = await h.services.webhooks.service.add(h.system(), other.clientId, { url: receiver.url, events: ['user.created'] });
      const { webhook: own } = await h.services.webhooks.service.add(h.system(), appId, { url: receiver.url, events: ['user.created'] });
      expectProblem(await api.patch(`${base}/${own.id}`, { url: 'http://crm.example.com/hooks' }), 400, 'validation_failed', /must use https/);
      expectProblem(await api.patch(`${base}/${own.id}`, { events: ['user.created', 'nope'] }), 400, 'validation_failed');
      expectProblem(await api.patch(`${base}/${own.id}`, {}), 400, 'validation_failed');
      expect(await h.services.webhooks.service.get(own.id)).to.deep.include({ url: receiver.url, events: ['user.created'] });
      for (const res of [await api.get(`${base}/${webhook.id}`), await api.patch(`${base}/${webhook.id}`, { enabled: false }), await api.post(`${base}/${webhook.id}/secret`), await api.delete(`${base}/${webhook.id}`)]) {
        expectProblem(res, 404, 'not_found');
      }
      expect(await h.services.webhooks.service.get(webhook.id)).to.include({ enabled: true, previousSecretExpiresAt: null });
    });

    it('is refused to an application without api:clients', async () => {
      const owner = await addOwner(h);
      const reader = await registerMachine(h, await h.as(owner), { name: 'Reader', scopes: ['api:users.read', 'api:users.write'] });
      const api = apiClient(h, await tokenFor(h, reader, ['api:users.read', 'api:users.write']));
      const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
      const base = `/api/v1/applications/${client.clientId}/webhooks`;
      expectProblem(await api.get(base), 403, 'insufficient_scope');
      expectProblem(await api.post(base, { url: receiver.url, events: ['user.created'] }), 403, 'insufficient_scope');
      expect(await h.services.models.Webhook.count()).to.equal(0);
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);

describeEachDatabase('management API: webhooks to private addresses', (h) => {
  it('refuses an address inside a private network (the SSRF guard) with a clear 400', async () => {
    const { api, appId } = await managerApi(h);
    const base = `/api/v1/applications/${appId}/webhooks`;
    for (const url of ['https://10.0.0.5/hooks', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/hooks', 'https://[::ffff:192.168.1.1]/', 'https://localhost/hooks']) {
      const refused = await api.post(base, { url, events: ['user.created'] });
      expectProblem(refused, 400, 'validation_failed', /private networks/);
      expect(refused.body.errors).to.deep.equal([{ field: 'url', message: refused.body.errors[0].message }]);
    }
    expectProblem(await api.post(base, { url: 'http://127.0.0.1:9/hooks', events: ['user.created'] }), 400, 'validation_failed', /must use https/);
    expect(await h.services.models.Webhook.count()).to.equal(0);
    expect((await api.post(base, { url: 'https://crm.example.com/hooks', events: ['user.created'] })).status).to.equal(201);
  });
});
