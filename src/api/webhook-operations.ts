// /applications/{id}/webhooks: the WebhookService calls the application's Webhooks pages
// make — list with each one's latest delivery, register (the signing secret shown once),
// change the URL, events or enabled, rotate the secret (the old one keeps signing for a
// day), remove, and the delivery record with "send again". A webhook is reached only
// through the application it belongs to; the service checks the URL (https, no private
// address), the events and clients.manage, and audits, as for the pages.
import type { Services } from '../services.js';
import { authorize } from '../roles/authorize.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.js';
import type { DeliveryView, WebhookView } from '../webhooks/webhook-service.js';
import { idSchema } from './api-schemas.js';
import type { ApiCall, JsonSchema, Operation } from './operation.js';

const str = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };
const ndateTime = { type: ['string', 'null'], format: 'date-time' };
const nint = { type: ['integer', 'null'] };

const url: JsonSchema = { type: 'string', minLength: 1, maxLength: 2048, description: 'https; refused when it names an address inside a private network.' };
const events: JsonSchema = { type: 'array', maxItems: 50, items: { type: 'string', enum: [...WEBHOOK_EVENTS] }, description: 'At least one event of the catalogue.' };
const deliveryStatus = { type: 'string', enum: ['pending', 'delivered', 'failed'] };

const latestDelivery: JsonSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['id', 'eventType', 'status', 'attempts', 'lastStatusCode', 'createdAt', 'deliveredAt'],
  properties: { id: { type: 'integer' }, eventType: str, status: deliveryStatus, attempts: { type: 'integer' }, lastStatusCode: nint, createdAt: dateTime, deliveredAt: ndateTime },
};

const webhookSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'applicationId', 'url', 'events', 'enabled', 'status', 'failingSince', 'disabledAt', 'disabledReason', 'previousSecretExpiresAt', 'createdAt', 'latestDelivery'],
  properties: {
    id: str, applicationId: str, url: str, events: { type: 'array', items: str }, enabled: { type: 'boolean' },
    status: { type: 'string', enum: ['active', 'failing', 'disabled'], description: 'failing: deliveries fail since failingSince; disabled: by an admin or after a day of failures (disabledReason).' },
    failingSince: ndateTime, disabledAt: ndateTime, disabledReason: { type: ['string', 'null'] },
    previousSecretExpiresAt: { ...ndateTime, description: 'After a rotation: until then every delivery is also signed with the previous secret.' },
    createdAt: dateTime, latestDelivery,
  },
};

const deliverySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'messageId', 'eventType', 'status', 'attempts', 'nextAttemptAt', 'lastStatusCode', 'lastError', 'createdAt', 'deliveredAt', 'attemptLog'],
  properties: {
    id: { type: 'integer' }, messageId: { type: 'string', description: 'The webhook-id header: the same on every attempt and on "send again".' },
    eventType: str, status: deliveryStatus, attempts: { type: 'integer' }, nextAttemptAt: dateTime, lastStatusCode: nint, lastError: { type: ['string', 'null'] },
    createdAt: dateTime, deliveredAt: ndateTime,
    attemptLog: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['attemptedAt', 'outcome', 'statusCode', 'error', 'durationMs'],
        properties: { attemptedAt: dateTime, outcome: { type: 'string', enum: ['delivered', 'failed'] }, statusCode: nint, error: { type: ['string', 'null'] }, durationMs: nint },
      },
    },
  },
};

const withSecret = (description: string): JsonSchema => ({
  type: 'object', additionalProperties: false, required: ['webhook', 'secret'],
  properties: { webhook: webhookSchema, secret: { type: 'string', description } },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentDelivery(d: DeliveryView) {
  return {
    id: d.id, messageId: d.messageId, eventType: d.eventType, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastStatusCode: d.lastStatusCode, lastError: d.lastError, createdAt: d.createdAt.toISOString(), deliveredAt: iso(d.deliveredAt),
    attemptLog: d.attemptLog.map((a) => ({ attemptedAt: a.attemptedAt.toISOString(), outcome: a.outcome, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
  };
}

async function presentWebhook(services: Services, w: WebhookView) {
  const [latest] = await services.webhooks.service.deliveries(w.id, 1);
  return {
    id: w.id, applicationId: w.clientId, url: w.url, events: w.events, enabled: w.enabled,
    status: !w.enabled ? 'disabled' : w.failingSince ? 'failing' : 'active',
    failingSince: iso(w.failingSince), disabledAt: iso(w.disabledAt), disabledReason: w.disabledReason,
    previousSecretExpiresAt: iso(w.previousSecretExpiresAt), createdAt: w.createdAt.toISOString(),
    latestDelivery: latest
      ? { id: latest.id, eventType: latest.eventType, status: latest.status, attempts: latest.attempts, lastStatusCode: latest.lastStatusCode, createdAt: latest.createdAt.toISOString(), deliveredAt: iso(latest.deliveredAt) }
      : null,
  };
}

/** The application's webhook named in the path (404 for another application's). */
async function webhookOf({ services, ctx, params }: ApiCall): Promise<WebhookView> {
  authorize(ctx.actor, 'clients.manage');
  const client = await services.clients.get(params.id!);
  return services.webhooks.service.getOf(client.clientId, params.webhookId!);
}

const base = '/applications/{id}/webhooks';
const one = `${base}/{webhookId}`;
const tag = 'Webhooks';

export const webhookOperations: Operation[] = [
  {
    method: 'get', path: base, operationId: 'listWebhooks', tag, scope: 'api:clients', summary: 'List an application\'s webhooks',
    description: 'Each with its status and its latest delivery. Secrets are never shown again.',
    params: { id: idSchema },
    responses: { 200: { description: 'Every webhook of the application', schema: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: webhookSchema } } } } },
    async handler({ services, ctx, params }) {
      authorize(ctx.actor, 'clients.manage');
      const client = await services.clients.get(params.id!);
      const hooks = await services.webhooks.service.listFor(client.clientId);
      return { status: 200, body: { items: await Promise.all(hooks.map((w) => presentWebhook(services, w))) } };
    },
  },
  {
    method: 'post', path: base, operationId: 'createWebhook', tag, scope: 'api:clients',
    summary: 'Register a webhook', description: 'As the Add a webhook form: the signing secret (whsec_…) is in this answer only.',
    params: { id: idSchema },
    body: { type: 'object', additionalProperties: false, required: ['url', 'events'], properties: { url, events } },
    responses: { 201: { description: 'Registered', schema: withSecret('Shown once: store it now.') } },
    async handler({ services, ctx, params, body }) {
      const { webhook, secret } = await services.webhooks.service.add(ctx, params.id!, body as { url: string; events: string[] });
      return { status: 201, body: { webhook: await presentWebhook(services, webhook), secret }, headers: { Location: `/api/v1/applications/${webhook.clientId}/webhooks/${webhook.id}` } };
    },
  },
  {
    method: 'get', path: one, operationId: 'getWebhook', tag, scope: 'api:clients', summary: 'Read a webhook',
    params: { id: idSchema, webhookId: idSchema },
    responses: { 200: { description: 'The webhook', schema: webhookSchema } },
    async handler(call) {
      return { status: 200, body: await presentWebhook(call.services, await webhookOf(call)) };
    },
  },
  {
    method: 'patch', path: one, operationId: 'updateWebhook', tag, scope: 'api:clients',
    summary: 'Change a webhook', description: 'Fields left out stay. enabled: true enables a disabled webhook again and the events recorded meanwhile go out in order.',
    params: { id: idSchema, webhookId: idSchema },
    body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { url, events, enabled: { type: 'boolean' } } },
    responses: { 200: { description: 'The webhook now', schema: webhookSchema } },
    async handler(call) {
      const current = await webhookOf(call);
      const b = call.body as { url?: string; events?: string[]; enabled?: boolean };
      const updated = await call.services.webhooks.service.update(call.ctx, current.id, { url: b.url ?? current.url, events: b.events ?? current.events, enabled: b.enabled });
      return { status: 200, body: await presentWebhook(call.services, updated) };
    },
  },
  {
    method: 'post', path: `${one}/secret`, operationId: 'rotateWebhookSecret', tag, scope: 'api:clients',
    summary: 'Rotate the signing secret', description: 'The new secret is in this answer only. For 24 hours every delivery carries two signatures, one with each secret (previousSecretExpiresAt).',
    params: { id: idSchema, webhookId: idSchema },
    responses: { 200: { description: 'The new secret, shown once', schema: withSecret('Shown once: give it to the receiver before previousSecretExpiresAt.') } },
    async handler(call) {
      const current = await webhookOf(call);
      const { webhook, secret } = await call.services.webhooks.service.rotateSecret(call.ctx, current.id);
      return { status: 200, body: { webhook: await presentWebhook(call.services, webhook), secret } };
    },
  },
  {
    method: 'delete', path: one, operationId: 'removeWebhook', tag, scope: 'api:clients', summary: 'Remove a webhook and its delivery record',
    params: { id: idSchema, webhookId: idSchema },
    responses: { 204: { description: 'Removed' } },
    async handler(call) {
      await call.services.webhooks.service.remove(call.ctx, (await webhookOf(call)).id);
      return { status: 204 };
    },
  },
  {
    method: 'get', path: `${one}/deliveries`, operationId: 'listWebhookDeliveries', tag, scope: 'api:clients', summary: 'The latest deliveries, newest first, with their attempts',
    params: { id: idSchema, webhookId: idSchema },
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Default 25.' } } },
    responses: { 200: { description: 'The latest deliveries', schema: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: deliverySchema } } } } },
    async handler(call) {
      const webhook = await webhookOf(call);
      const limit = (call.query as { limit?: number }).limit;
      return { status: 200, body: { items: (await call.services.webhooks.service.deliveries(webhook.id, limit)).map(presentDelivery) } };
    },
  },
  {
    method: 'post', path: `${one}/deliveries/{deliveryId}/resend`, operationId: 'resendWebhookDelivery', tag, scope: 'api:clients',
    summary: 'Send a delivery again', description: 'Queues it at once with the same webhook-id, so a receiver that drops repeats handles it once.',
    params: { id: idSchema, webhookId: idSchema, deliveryId: { type: 'integer', minimum: 1 } },
    responses: { 202: { description: 'Queued' } },
    async handler(call) {
      const webhook = await webhookOf(call);
      await call.services.webhooks.service.resend(call.ctx, webhook.id, Number(call.params.deliveryId));
      return { status: 202 };
    },
  },
];
