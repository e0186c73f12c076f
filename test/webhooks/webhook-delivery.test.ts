// Lifecycle webhooks end to end on both databases: a real local receiver checks the
// Standard Webhooks signatures; deliveries survive a receiver that is down, keep each
// account's order, go out once with two workers, never for a rolled-back change; the
// secret rotates with an overlap; a receiver failing too long is disabled and the admins
// are mailed once; "send again" repeats the same webhook-id.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { suiteReceiver, WebhookReceiver } from './webhook-receiver.js';
import { rejection } from '../accounts/account-fixtures.js';
import { drain, registerWebhook } from './webhook-fixtures.js';

describeEachDatabase(
  'Webhook delivery',
  (h) => {
    const receiver = suiteReceiver();

    const createUser = (username: string) => h.services.users.create(h.system(), { username, email: `${username}@corp.example`, givenName: 'Ann' }, { source: 'admin', origin: 'page' });

    it('signs each delivery as Standard Webhooks says and presents the account without secrets', async () => {
      const { secret } = await registerWebhook(h, receiver, ['user.created']);
      expect(secret).to.match(/^whsec_[A-Za-z0-9+/]+=*$/);
      const user = await h.services.users.create(h.system(), { username: 'ann', email: 'ann@corp.example' }, { source: 'admin', origin: 'page', password: 'correct horse battery staple 42' });
      await drain(h);
      expect(receiver.received).to.have.length(1);
      const [got] = receiver.received;
      expect(WebhookReceiver.verifies(got!, secret)).to.equal(true);
      expect(WebhookReceiver.verifies({ ...got!, body: got!.body.replace('ann', 'bob') }, secret)).to.equal(false);
      expect(got!.id).to.match(/^msg_/);
      expect(got!.timestamp).to.equal(Math.floor(h.clock.now().getTime() / 1000));
      expect(got!.json).to.include({ type: 'user.created' });
      expect(got!.json.data.actor).to.deep.equal({ kind: 'system', source: 'system' });
      expect(got!.json.data.account).to.include({ id: user.id, username: 'ann', email: 'ann@corp.example', status: 'active' });
      expect(got!.body).not.to.match(/argon2|passwordHash|password_hash|totp/i);
      const [delivery] = await h.services.webhooks.service.deliveries((await h.services.webhooks.service.listFor((await h.services.clients.list())[0]!.clientId))[0]!.id);
      expect(delivery).to.include({ status: 'delivered', attempts: 1, lastStatusCode: 204 });
      expect(delivery!.attemptLog).to.have.length(1);
      expect(delivery!.attemptLog[0]).to.include({ outcome: 'delivered', statusCode: 204 });
    });

    it('loses nothing while the receiver is down and retries with back-off, keeping the webhook-id', async () => {
      await registerWebhook(h, receiver, ['user.created', 'user.deactivated']);
      const port = receiver.port;
      await receiver.stop();
      const ann = await createUser('ann');
      await h.services.users.deactivate(h.system(), ann.id);
      await drain(h);
      await receiver.start(port);
      await drain(h);
      // Not due yet: the first retry waits the back-off.
      expect(receiver.received).to.have.length(0);
      receiver.status = 500;
      h.clock.advance(5_000);
      await drain(h);
      expect(receiver.received).to.have.length(1);
      receiver.status = 204;
      h.clock.advance(10_000);
      await drain(h);
      const types = receiver.distinct().map((r) => r.json.type);
      expect(types).to.deep.equal(['user.created', 'user.deactivated']);
      // At least once: the refused attempt and its retry carry the same webhook-id.
      expect(receiver.received).to.have.length(3);
      expect(receiver.received[0]!.id).to.equal(receiver.received[1]!.id);
      const webhookId = (await h.services.models.Webhook.findOne())!.id;
      const deliveries = await h.services.webhooks.service.deliveries(webhookId);
      expect(deliveries.map((d) => [d.eventType, d.status, d.attempts])).to.deep.equal([['user.deactivated', 'delivered', 1], ['user.created', 'delivered', 3]]);
      expect(deliveries[1]!.attemptLog.map((a) => [a.outcome, a.statusCode])).to.deep.equal([['failed', null], ['failed', 500], ['delivered', 204]]);
    });

    it('delivers each account’s events in order, a failing one holding back only that account', async () => {
      await registerWebhook(h, receiver, ['user.created', 'user.updated', 'user.deactivated']);
      const ann = await createUser('ann');
      receiver.status = 500;
      await drain(h);
      receiver.status = 204;
      await h.services.users.update(h.system(), ann.id, { title: 'Engineer' }, { origin: 'page' });
      await h.services.users.deactivate(h.system(), ann.id);
      await createUser('bob');
      await drain(h);
      // Ann's first event waits for its retry; Bob's goes at once.
      expect(receiver.distinct().map((r) => `${r.json.type} ${r.json.data.account.username}`)).to.deep.equal(['user.created ann', 'user.created bob']);
      h.clock.advance(5_000);
      await drain(h);
      const annEvents = receiver.distinct().filter((r) => r.json.data.account.username === 'ann').map((r) => r.json.type);
      expect(annEvents).to.deep.equal(['user.created', 'user.updated', 'user.deactivated']);
    });

    it('two workers deliver every event exactly once', async () => {
      await registerWebhook(h, receiver, ['user.created']);
      for (let i = 0; i < 12; i++) await createUser(`user${i}`);
      const second = h.services.webhooks.newWorker();
      await Promise.all([drain(h), (async () => { while ((await second.runOnce()) > 0); })()]);
      expect(receiver.received).to.have.length(12);
      expect(new Set(receiver.received.map((r) => r.id)).size).to.equal(12);
      expect(await h.services.models.WebhookAttempt.count()).to.equal(12);
    });

    it('sends nothing for a change that rolled back', async () => {
      await registerWebhook(h, receiver, ['user.created']);
      const failed = h.db.transactions.run(h.system(), async (tx) => {
        await h.services.users.create(tx, { username: 'ghost', email: 'ghost@corp.example' }, { source: 'admin', origin: 'page' });
        throw new Error('rolled back');
      });
      expect((await rejection(failed, Error)).message).to.equal('rolled back');
      await drain(h);
      expect(await h.services.models.WebhookDelivery.count()).to.equal(0);
      expect(receiver.received).to.have.length(0);
    });

    it('rotates the secret: both sign during the overlap, then only the new one', async () => {
      const { webhook, secret: old } = await registerWebhook(h, receiver, ['user.created']);
      const { secret: fresh } = await h.services.webhooks.service.rotateSecret(h.system(), webhook.id);
      await createUser('ann');
      await drain(h);
      expect(receiver.received[0]!.signatures).to.have.length(2);
      expect(WebhookReceiver.verifies(receiver.received[0]!, old)).to.equal(true);
      expect(WebhookReceiver.verifies(receiver.received[0]!, fresh)).to.equal(true);
      h.clock.advance(25 * 3_600_000);
      await createUser('bob');
      await drain(h);
      expect(receiver.received[1]!.signatures).to.have.length(1);
      expect(WebhookReceiver.verifies(receiver.received[1]!, fresh)).to.equal(true);
      expect(WebhookReceiver.verifies(receiver.received[1]!, old)).to.equal(false);
    });

    it('gives a delivery up after a day, disables a receiver failing that long and mails the admins once', async () => {
      const admin = await h.services.users.create(h.system(), { username: 'alice', email: 'alice@corp.example' }, { source: 'admin', origin: 'page', roleIds: [(await h.services.roles.builtin('admin')).id] });
      const { webhook } = await registerWebhook(h, receiver, ['user.created', 'user.deactivated']);
      receiver.status = 503;
      const ann = await createUser('ann');
      for (let hour = 0; hour <= 25; hour++) {
        await drain(h);
        h.clock.advance(3_600_000);
      }
      await h.services.users.deactivate(h.system(), ann.id);
      await drain(h);
      const after = await h.services.webhooks.service.get(webhook.id);
      expect(after.enabled).to.equal(false);
      const [created] = (await h.services.webhooks.service.deliveries(webhook.id)).filter((d) => d.eventType === 'user.created');
      expect(created!.status).to.equal('failed');
      await h.services.mailWorker.runOnce();
      const notices = h.mail.sent.filter((m) => m.subject.includes('webhook of CRM was disabled'));
      expect(notices.map((m) => m.to)).to.deep.equal([admin.email]);
      // Disabled: nothing more is attempted until an admin enables it again.
      const attempts = await h.services.models.WebhookAttempt.count();
      h.clock.advance(3_600_000);
      await drain(h);
      expect(await h.services.models.WebhookAttempt.count()).to.equal(attempts);
      receiver.status = 204;
      receiver.received.length = 0;
      await h.services.webhooks.service.update(h.system(), webhook.id, { url: after.url, events: after.events, enabled: true });
      await drain(h);
      expect(receiver.received.map((r) => r.json.type)).to.deep.equal(['user.deactivated']);
    });

    it('sends a delivery again with the same webhook-id', async () => {
      const { webhook } = await registerWebhook(h, receiver, ['user.created']);
      await createUser('ann');
      await drain(h);
      const [delivery] = await h.services.webhooks.service.deliveries(webhook.id);
      await h.services.webhooks.service.resend(h.system(), webhook.id, delivery!.id);
      await drain(h);
      expect(receiver.received).to.have.length(2);
      expect(receiver.received[1]!.id).to.equal(receiver.received[0]!.id);
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);
