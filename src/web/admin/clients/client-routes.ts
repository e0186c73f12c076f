// /admin/clients (clients.manage): translate the forms to ClientService, which validates
// (redirect URI rules, types, algorithms), stores only the secret's hash and audits.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DEFAULT_SIGNING_ALG, type ClientType, type SigningAlg } from '../../../clients/client-service.js';
import { splitUris } from '../../../clients/redirect-uri.js';
import { contextOf } from '../../request-context.js';
import { listOf } from '../../form-controls.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, str } from '../admin-form-errors.js';
import { webhookRoutes } from './webhook-routes.js';
import { API_FIELDS_MARKER, clientCreatedBody, clientEditBody, clientFormValues, clientListBody, clientNewBody, clientRemoveBody, clientSecretBody, clientSecretConfirmBody, EMPTY_CLIENT_FORM, type ClientFormValues } from './client-views.js';

const NOTICES: Record<string, string> = { saved: 'Changes saved.', removed: 'Application removed.', 'webhook-removed': 'Webhook removed.' };

function formValues(body: Record<string, unknown> | undefined): ClientFormValues {
  const text = (k: string) => (typeof body?.[k] === 'string' ? (body[k] as string) : '');
  return {
    name: str(body?.name),
    type: str(body?.type),
    redirectUris: text('redirectUris'),
    postLogoutRedirectUris: text('postLogoutRedirectUris'),
    firstParty: body?.firstParty === 'on',
    backchannelLogoutUri: str(body?.backchannelLogoutUri),
    idTokenSigningAlg: str(body?.idTokenSigningAlg) || DEFAULT_SIGNING_ALG,
    apiScopes: listOf(body?.apiScopes),
    corsOrigins: text('corsOrigins'),
  };
}

export function clientRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('clients.manage'));
  // The OIDC issuer is the public URL (oidc/provider.ts): what relying parties configure.
  const issuer = services.config.publicUrl;

  const send = async (req: Request, res: Response, title: string, body: (csrfToken: string) => ReturnType<typeof clientListBody>, status = 200) => {
    const shell = await shellState(services, req, res, '/admin/clients');
    res.status(status).type('html').send(adminPage(title, shell, body(shell.csrfToken)));
  };
  const notice = (req: Request) => (typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined);

  router.get('/', async (req, res) => {
    const clients = await services.clients.list();
    await send(req, res, 'Applications', () => clientListBody({ clients, notice: notice(req) }));
  });

  router.get('/new', (req, res) => send(req, res, 'Add an application', (csrfToken) => clientNewBody({ csrfToken, values: EMPTY_CLIENT_FORM, errors: {} })));

  router.post('/', async (req, res) => {
    const values = formValues(req.body);
    try {
      const created = await services.clients.add(contextOf(req, 'admin'), {
        name: values.name,
        type: values.type as ClientType,
        redirectUris: splitUris(values.redirectUris),
        postLogoutRedirectUris: splitUris(values.postLogoutRedirectUris),
        firstParty: values.firstParty,
        backchannelLogoutUri: values.backchannelLogoutUri || null,
        idTokenSigningAlg: values.idTokenSigningAlg as SigningAlg,
        apiScopes: values.apiScopes,
        corsOrigins: splitUris(values.corsOrigins),
      });
      // The secret is on this page only: never cached, never in a URL.
      res.set('Cache-Control', 'no-store');
      await send(req, res, 'Application registered', () => clientCreatedBody({ ...created, issuer }));
    } catch (err) {
      const { status, fields } = refusalOf(err, 'name');
      await send(req, res, 'Add an application', (csrfToken) => clientNewBody({ csrfToken, values, errors: fields }), status);
    }
  });

  router.use('/:id/webhooks', webhookRoutes(services));

  router.get('/:id', async (req, res) => {
    const client = await services.clients.get(String(req.params.id));
    const webhooks = await services.webhooks.service.listFor(client.clientId);
    await send(req, res, client.name, (csrfToken) => clientEditBody({ csrfToken, client, issuer, values: clientFormValues(client), errors: {}, notice: notice(req), webhooks }));
  });

  router.post('/:id', async (req, res) => {
    const client = await services.clients.get(String(req.params.id));
    const posted = formValues(req.body);
    // A form without the algorithm field leaves it as it is.
    if (!str(req.body?.idTokenSigningAlg)) posted.idTokenSigningAlg = client.idTokenSigningAlg;
    const withApi = req.body?.[API_FIELDS_MARKER] === '1';
    const values = { ...clientFormValues(client), ...pick(posted, client.type === 'machine'), ...(withApi ? { apiScopes: posted.apiScopes, corsOrigins: posted.corsOrigins } : {}) };
    try {
      await services.clients.update(contextOf(req, 'admin'), client.clientId, {
        name: values.name,
        firstParty: values.firstParty,
        idTokenSigningAlg: values.idTokenSigningAlg as SigningAlg,
        ...(client.type === 'machine' ? {} : { redirectUris: splitUris(values.redirectUris), postLogoutRedirectUris: splitUris(values.postLogoutRedirectUris) }),
        ...(withApi ? { apiScopes: values.apiScopes, corsOrigins: splitUris(values.corsOrigins) } : {}),
      });
      res.redirect(303, `/admin/clients/${encodeURIComponent(client.clientId)}?done=saved`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'name');
      const webhooks = await services.webhooks.service.listFor(client.clientId);
      await send(req, res, client.name, (csrfToken) => clientEditBody({ csrfToken, client, issuer, values, errors: fields, webhooks }), status);
    }
  });

  router.get('/:id/secret', async (req, res) => {
    const client = await services.clients.get(String(req.params.id));
    await send(req, res, `New secret for ${client.name}`, (csrfToken) => clientSecretConfirmBody({ csrfToken, client }));
  });

  router.post('/:id/secret', async (req, res) => {
    const client = await services.clients.get(String(req.params.id));
    try {
      const clientSecret = await services.clients.regenerateSecret(contextOf(req, 'admin'), client.clientId);
      // The secret is on this page only: never cached, never in a URL.
      res.set('Cache-Control', 'no-store');
      await send(req, res, `New secret for ${client.name}`, () => clientSecretBody({ client, clientSecret, issuer }));
    } catch (err) {
      const { status, fields } = refusalOf(err, 'secret');
      await send(req, res, `New secret for ${client.name}`, (csrfToken) => clientSecretConfirmBody({ csrfToken, client, error: Object.values(fields).join(' ') }), status);
    }
  });

  router.get('/:id/remove', async (req, res) => {
    const client = await services.clients.get(String(req.params.id));
    await send(req, res, `Remove ${client.name}`, (csrfToken) => clientRemoveBody({ csrfToken, client }));
  });

  router.post('/:id/remove', async (req, res) => {
    await services.clients.remove(contextOf(req, 'admin'), String(req.params.id));
    res.redirect(303, '/admin/clients?done=removed');
  });

  return router;
}

/** The fields the edit form carries (machine clients have no redirect URIs). */
function pick(v: ClientFormValues, machine: boolean): Partial<ClientFormValues> {
  const common = { name: v.name, firstParty: v.firstParty, idTokenSigningAlg: v.idTokenSigningAlg };
  return machine ? common : { ...common, redirectUris: v.redirectUris, postLogoutRedirectUris: v.postLogoutRedirectUris };
}
