// The webhook pages under an application (clients.manage): add with the secret shown once,
// refusals shown beside the field, the list on the application's page, deliveries with
// their attempts and "Send again", rotation, removal; others are refused.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { asBuiltIn, expectFieldError } from '../admin/admin-kit.js';
import { suiteReceiver, WebhookReceiver } from './webhook-receiver.js';
import { drain } from './webhook-fixtures.js';

describeEachDatabase(
  'Webhook pages',
  (h) => {
    const receiver = suiteReceiver();

    it('adds a webhook, shows the secret once, lists deliveries and sends one again', async () => {
      const admin = await asBuiltIn(h, 'admin');
      const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
      const base = `/admin/clients/${client.clientId}/webhooks`;
      const form = await admin.get(`${base}/new`);
      expect(form.status).to.equal(200);
      expect(form.text).to.include('user.deactivated');

      const refused = await admin.post(base, { url: 'http://crm.example.com/hooks', events: ['user.created'] });
      expect(refused.status).to.equal(400);
      expectFieldError(refused.text, 'url', 'must use https');
      const none = await admin.post(base, { url: receiver.url });
      expectFieldError(none.text, 'events', 'Choose at least one event');

      const added = await admin.post(base, { url: receiver.url, events: ['user.created', 'user.deactivated'] });
      expect(added.status).to.equal(200);
      expect(added.headers['cache-control']).to.equal('no-store');
      const secret = /<code id="webhook-secret">(whsec_[^<]+)<\/code>/.exec(added.text)?.[1];
      expect(secret).to.be.a('string');
      expect(added.text).to.include('data-copy');

      const page = await admin.get(`/admin/clients/${client.clientId}`);
      expect(page.text).to.include(receiver.url);
      expect(page.text).not.to.include(secret!);
      const [webhook] = await h.services.webhooks.service.listFor(client.clientId);

      await h.services.users.create(h.system(), { username: 'ann', email: 'ann@corp.example' }, { source: 'admin', origin: 'page' });
      await drain(h);
      expect(WebhookReceiver.verifies(receiver.received[0]!, secret!)).to.equal(true);
      const detail = await admin.get(`${base}/${webhook!.id}`);
      expect(detail.text).to.include('user.created').and.to.include('delivered (204)').and.to.include('Send again');
      expect(detail.text).not.to.include(secret!);

      const [delivery] = await h.services.webhooks.service.deliveries(webhook!.id);
      const resent = await admin.post(`${base}/${webhook!.id}/deliveries/${delivery!.id}/resend`);
      expect(resent.status).to.equal(303);
      await drain(h);
      expect(receiver.received.map((r) => r.id)).to.deep.equal([delivery!.messageId, delivery!.messageId]);

      const rotated = await admin.post(`${base}/${webhook!.id}/rotate`);
      const fresh = /<code id="webhook-secret">(whsec_[^<]+)<\/code>/.exec(rotated.text)?.[1];
      expect(fresh).to.be.a('string').and.not.to.equal(secret);

      expect((await admin.post(`${base}/${webhook!.id}/remove`)).status).to.equal(303);
      expect(await h.services.webhooks.service.listFor(client.clientId)).to.deep.equal([]);
    });

    it('is for clients.manage only, and a webhook is reached only through its application', async () => {
      const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
      const { client: other } = await h.services.clients.add(h.system(), { name: 'Wiki', type: 'web', redirectUris: ['https://wiki.example.com/cb'] });
      const { webhook } = await h.services.webhooks.service.add(h.system(), client.clientId, { url: receiver.url, events: ['user.created'] });
      const viewer = await asBuiltIn(h, 'viewer');
      expect((await viewer.get(`/admin/clients/${client.clientId}/webhooks/${webhook.id}`)).status).to.equal(403);
      expect((await viewer.post(`/admin/clients/${client.clientId}/webhooks`, { url: receiver.url, events: ['user.created'] })).status).to.equal(403);
      const admin = await asBuiltIn(h, 'admin');
      expect((await admin.get(`/admin/clients/${other.clientId}/webhooks/${webhook.id}`)).status).to.equal(404);
    });

    it('removing the application removes its webhooks', async () => {
      const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
      await h.services.webhooks.service.add(h.system(), client.clientId, { url: receiver.url, events: ['user.created'] });
      await h.services.users.create(h.system(), { username: 'ann', email: 'ann@corp.example' }, { source: 'admin', origin: 'page' });
      await h.services.clients.remove(h.system(), client.clientId);
      expect(await h.services.models.Webhook.count()).to.equal(0);
      expect(await h.services.models.WebhookDelivery.count()).to.equal(0);
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);
