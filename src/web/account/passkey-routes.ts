// /account/passkeys: add (the ceremony's options, then its answer as a form POST) and
// remove the signed-in person's passkeys. The challenge is bound to this page session.
import { Router, type Request } from 'express';
import type { Services } from '../../services.js';
import { contextOf } from '../request-context.js';
import { DomainError, ValidationError } from '../../errors.js';
import type { AccountPageRenderer } from './account-pages.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function passkeyAccountRoutes(services: Services, render: AccountPageRenderer): Router {
  const router = Router();
  const bindingOf = (req: Request) => `session:${req.sessionIdHash ?? req.user!.id}`;

  router.post('/passkeys/options', async (req, res) => {
    res.json(await services.passkeys.registrationOptions(req.user!.id, bindingOf(req)));
  });

  router.post('/passkeys', async (req, res) => {
    try {
      await services.passkeys.register(contextOf(req, 'account'), req.user!.id, bindingOf(req), str(req.body?.name), str(req.body?.response));
      res.redirect(303, '/account?done=passkey-added#passkeys');
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      await render(req, res, { passkeyError: err instanceof ValidationError ? (Object.values(err.fields)[0] ?? err.message) : err.message }, 400);
    }
  });

  router.post('/passkeys/:id/remove', async (req, res) => {
    try {
      await services.passkeys.remove(contextOf(req, 'account'), req.user!.id, String(req.params.id));
      res.redirect(303, '/account?done=passkey-removed#passkeys');
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      await render(req, res, { passkeyError: err.message }, err.status);
    }
  });

  return router;
}
