// /admin/scim-tokens (permission scim.manage): translate forms to ScimTokenService calls.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { ValidationError } from '../../../errors.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { scimTokensBody } from './scim-tokens-page.js';

export function scimTokenAdminRoutes(services: Services): Router {
  const router = Router();
  const scimUrl = `${services.config.publicUrl}/scim/v2`;

  const render = async (req: Request, res: Response, extra: Partial<Parameters<typeof scimTokensBody>[0]> = {}, status = 200) => {
    const body = scimTokensBody({ tokens: await services.scimTokens.list(contextOf(req, 'admin')), csrfToken: res.locals.csrfToken, scimUrl, ...extra });
    res.status(status).type('html').send(adminPage('SCIM provisioning', await shellState(services, req, res, '/admin/scim-tokens'), body));
  };

  router.get('/', permit('scim.manage'), (req, res) => render(req, res));

  router.post('/', permit('scim.manage'), async (req, res) => {
    const name = typeof req.body?.name === 'string' ? req.body.name.trim() : '';
    try {
      const { token, view } = await services.scimTokens.create(contextOf(req, 'admin'), name);
      // The secret is in this one response only: never redirect away from it.
      await render(req, res, { created: { name: view.name, token } });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { nameValue: name, nameError: err.fields.name ?? err.message }, 400);
    }
  });

  router.post('/:id/revoke', permit('scim.manage'), async (req, res) => {
    await services.scimTokens.revoke(contextOf(req, 'admin'), String(req.params.id));
    res.redirect(303, '/admin/scim-tokens');
  });

  return router;
}
