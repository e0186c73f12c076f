// Helpers for the webhook suites: an application with one webhook pointing at the test's
// receiver, and running the worker until nothing is due.
import type { Harness } from '../helpers/harness.js';
import type { WebhookEventType } from '../../src/webhooks/webhook-events.js';
import type { WebhookReceiver } from './webhook-receiver.js';

export async function registerWebhook(h: Harness, receiver: WebhookReceiver, events: WebhookEventType[]) {
  const { client } = await h.services.clients.add(h.system(), { name: 'CRM', type: 'web', redirectUris: ['https://crm.example.com/cb'] });
  const { webhook, secret } = await h.services.webhooks.service.add(h.system(), client.clientId, { url: receiver.url, events });
  return { client, webhook, secret };
}

/** Runs the worker until nothing is due (retries scheduled later stay for later). */
export async function drain(h: Harness): Promise<void> {
  while ((await h.services.webhooks.worker.runOnce()) > 0);
}
