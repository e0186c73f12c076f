// /admin/scim-tokens (permission scim.manage): translate forms to ScimTokenService calls.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError } from '../../../errors.js';
import { defaultPermissions, grantablePermissions } from '../../../scim-tokens/token-permissions.js';
import { listOf } from '../../form-controls.js';
import { contextOf } from '../../request-context.js';
import { refusalOf } from '../admin-form-errors.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { scimTokensBody, type ScimTokensState } from './scim-tokens-page.js';

const NOTICES: Record<string, string> = {
  adopted: 'Token adopted: it acts with its whole set again, under your account.',
  reviewed: 'Token permissions confirmed.',
};

export function scimTokenAdminRoutes(services: Services): Router {
  const router = Router();
  const scimUrl = `${services.config.publicUrl}/scim/v2`;

  const render = async (req: Request, res: Response, extra: Partial<ScimTokensState> = {}, status = 200) => {
    const ctx = contextOf(req, 'admin');
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    const shell = await shellState(services, req, res, '/admin/scim-tokens');
    const body = scimTokensBody({
      timeZone: shell.timeZone,
      tokens: await services.scimTokens.list(ctx),
      csrfToken: res.locals.csrfToken,
      scimUrl,
      grantable: grantablePermissions(ctx.actor),
      checked: defaultPermissions(ctx.actor),
      connections: (await services.connections.list(ctx)).filter((c) => c.kind === 'scim'),
      notice,
      ...extra,
    });
    res.status(status).type('html').send(adminPage('SCIM provisioning', shell, body));
  };

  router.get('/', permit('scim.manage'), (req, res) => render(req, res));

  router.post('/', permit('scim.manage'), async (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name.trim() : '';
    // The form always sends its checkboxes; a request without them gets the default set.
    const chosen = req.body?.choosePermissions ? listOf(req.body?.permissions) : undefined;
    const connectionId = typeof req.body?.connectionId === 'string' ? req.body.connectionId : '';
    const connectionName = typeof req.body?.connectionName === 'string' ? req.body.connectionName.trim() : '';
    try {
      const { token, view } = await services.scimTokens.create(contextOf(req, 'admin'), name, chosen, connectionId ? { connectionId } : { connectionName });
      // The secret is in this one response only: never redirect away from it.
      await render(req, res, { created: { name: view.name, token } });
    } catch (err) {
      const refusal = refusalOf(err, 'permissions');
      const values = { nameValue: name, connectionIdValue: connectionId, connectionNameValue: connectionName };
      await render(req, res, { ...values, nameError: refusal.fields.name, permissionsError: refusal.fields.permissions, connectionError: refusal.fields.connection, ...(chosen ? { checked: chosen } : {}) }, refusal.status);
    }
  });

  router.post('/:id/rotate', permit('scim.manage'), async (req, res) => {
    try {
      const { token, view } = await services.scimTokens.rotate(contextOf(req, 'admin'), String(req.params.id));
      await render(req, res, { created: { name: view.name, token, rotated: true } });
    } catch (err) {
      if (!(err instanceof DomainError && err.expose)) throw err;
      await render(req, res, { problem: err.message }, err.status);
    }
  });

  router.post('/:id/revoke', permit('scim.manage'), async (req, res) => {
    await services.scimTokens.revoke(contextOf(req, 'admin'), String(req.params.id));
    res.redirect(303, '/admin/scim-tokens');
  });

  router.post('/:id/adopt', permit('scim.manage'), async (req, res) => {
    try {
      await services.scimTokens.adopt(contextOf(req, 'admin'), String(req.params.id));
      res.redirect(303, '/admin/scim-tokens?done=adopted');
    } catch (err) {
      if (!(err instanceof DomainError && err.expose)) throw err;
      await render(req, res, { problem: err.message }, err.status);
    }
  });

  router.post('/:id/review', permit('scim.manage'), async (req, res) => {
    try {
      await services.scimTokens.confirmReview(contextOf(req, 'admin'), String(req.params.id), listOf(req.body?.permissions));
      res.redirect(303, '/admin/scim-tokens?done=reviewed');
    } catch (err) {
      if (!(err instanceof DomainError && err.expose)) throw err;
      await render(req, res, { problem: err.message }, err.status);
    }
  });

  return router;
}
