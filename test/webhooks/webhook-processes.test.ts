// Two Gatehouse processes on one database deliver every webhook exactly once between them:
// each delivery is claimed by a conditional write, so only one process attempts it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { suiteReceiver } from './webhook-receiver.js';
import { registerWebhook } from './webhook-fixtures.js';
import { startOnGo } from '../helpers/process-on-go.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROCESS = path.join(HERE, 'webhook-delivery-process.ts');
const ROOT = path.resolve(HERE, '../..');

describeEachDatabase(
  'Webhook delivery from two Gatehouse processes',
  (h) => {
    const receiver = suiteReceiver();

    it('delivers each of 24 events once between them', async function () {
      this.timeout(180_000);
      await registerWebhook(h, receiver, ['user.created']);
      for (let i = 0; i < 24; i++) await h.services.users.create(h.system(), { username: `user${i}`, email: `user${i}@corp.example` }, { source: 'admin', origin: 'page' });
      const args = [h.config.database.url, h.clock.now().toISOString(), ...(h.config.encryptionKey ? [h.config.encryptionKey] : [])];
      const processes = await Promise.all([startOnGo<{ delivered: number }>(PROCESS, args, ROOT), startOnGo<{ delivered: number }>(PROCESS, args, ROOT)]);
      const counts = await Promise.all(processes.map((p) => p.go()));
      expect(counts[0]!.delivered + counts[1]!.delivered).to.equal(24);
      expect(receiver.received).to.have.length(24);
      expect(new Set(receiver.received.map((r) => r.id)).size).to.equal(24);
      expect(await h.services.models.WebhookAttempt.count()).to.equal(24);
      const deliveries = await h.services.models.WebhookDelivery.findAll();
      expect(deliveries.map((d) => d.status)).to.deep.equal(Array(24).fill('delivered'));
    });
  },
  { env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } },
);
