// /admin/clients/:id/webhooks (clients.manage): translate the forms to WebhookService,
// which checks the URL and the events, keeps the secret sealed and audits.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import type { SafeHtml } from '../../../html.js';
import { contextOf } from '../../request-context.js';
import { listOf } from '../../form-controls.js';
import { adminPage } from '../admin-layout.js';
import { shellState } from '../admin-shell.js';
import { refusalOf, str } from '../admin-form-errors.js';
import { webhookDetailBody, webhookNewBody, webhookSecretBody, type WebhookFormValues } from './webhook-views.js';

const NOTICES: Record<string, string> = { saved: 'Changes saved.', resent: 'The delivery is queued to be sent again (same webhook-id).' };

function formValues(body: Record<string, unknown> | undefined): WebhookFormValues {
  return { url: str(body?.url), events: listOf(body?.events), enabled: body?.enabled === 'on' };
}

/** Mounted by clientRoutes under its clients.manage guard. */
export function webhookRoutes(services: Services): Router {
  const router = Router({ mergeParams: true });
  const webhooks = services.webhooks.service;

  const send = async (req: Request, res: Response, title: string, body: (csrfToken: string, timeZone: string) => SafeHtml, status = 200) => {
    const shell = await shellState(services, req, res, '/admin/clients');
    res.status(status).type('html').send(adminPage(title, shell, body(shell.csrfToken, shell.timeZone)));
  };
  const clientOf = (req: Request) => services.clients.get(String(req.params.id));
  /** The webhook, only through the application it belongs to. */
  const webhookOf = async (req: Request) => {
    const client = await clientOf(req);
    const webhook = await webhooks.getOf(client.clientId, String(req.params.webhookId));
    return { client, webhook };
  };
  const detailUrl = (clientId: string, webhookId: string) => `/admin/clients/${encodeURIComponent(clientId)}/webhooks/${webhookId}`;

  router.get('/new', async (req, res) => {
    const client = await clientOf(req);
    await send(req, res, 'Add a webhook', (csrfToken) => webhookNewBody({ csrfToken, client, values: { url: '', events: [], enabled: true }, errors: {} }));
  });

  router.post('/', async (req, res) => {
    const client = await clientOf(req);
    const values = formValues(req.body);
    try {
      const { webhook, secret } = await webhooks.add(contextOf(req, 'admin'), client.clientId, values);
      // The secret is on this page only: never cached, never in a URL.
      res.set('Cache-Control', 'no-store');
      await send(req, res, 'Webhook added', () => webhookSecretBody({ client, webhook, secret, rotated: false }));
    } catch (err) {
      const { status, fields } = refusalOf(err, 'url');
      await send(req, res, 'Add a webhook', (csrfToken) => webhookNewBody({ csrfToken, client, values, errors: fields }), status);
    }
  });

  router.get('/:webhookId', async (req, res) => {
    const { client, webhook } = await webhookOf(req);
    const deliveries = await webhooks.deliveries(webhook.id);
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    await send(req, res, `Webhook of ${client.name}`, (csrfToken, timeZone) =>
      webhookDetailBody({ csrfToken, client, webhook, values: { url: webhook.url, events: webhook.events, enabled: webhook.enabled }, errors: {}, deliveries, timeZone, notice }),
    );
  });

  router.post('/:webhookId', async (req, res) => {
    const { client, webhook } = await webhookOf(req);
    const values = formValues(req.body);
    try {
      await webhooks.update(contextOf(req, 'admin'), webhook.id, values);
      res.redirect(303, `${detailUrl(client.clientId, webhook.id)}?done=saved`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'url');
      const deliveries = await webhooks.deliveries(webhook.id);
      await send(req, res, `Webhook of ${client.name}`, (csrfToken, timeZone) => webhookDetailBody({ csrfToken, client, webhook, values, errors: fields, deliveries, timeZone }), status);
    }
  });

  router.post('/:webhookId/rotate', async (req, res) => {
    const { client, webhook } = await webhookOf(req);
    const rotated = await webhooks.rotateSecret(contextOf(req, 'admin'), webhook.id);
    res.set('Cache-Control', 'no-store');
    await send(req, res, 'New signing secret', () => webhookSecretBody({ client, webhook: rotated.webhook, secret: rotated.secret, rotated: true }));
  });

  router.post('/:webhookId/remove', async (req, res) => {
    const { client, webhook } = await webhookOf(req);
    await webhooks.remove(contextOf(req, 'admin'), webhook.id);
    res.redirect(303, `/admin/clients/${encodeURIComponent(client.clientId)}?done=webhook-removed`);
  });

  router.post('/:webhookId/deliveries/:deliveryId/resend', async (req, res) => {
    const { client, webhook } = await webhookOf(req);
    await webhooks.resend(contextOf(req, 'admin'), webhook.id, Number(req.params.deliveryId));
    res.redirect(303, `${detailUrl(client.clientId, webhook.id)}?done=resent`);
  });

  return router;
}
