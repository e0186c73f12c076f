// /admin/upstream: translate the form to UpstreamService calls.
import { Router } from 'express';
import type { Services } from '../../../services.js';
import { ValidationError } from '../../../errors.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { upstreamBody, type UpstreamFormValues } from './upstream-page.js';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function upstreamAdminRoutes(services: Services): Router {
  const router = Router();
  const callbackUrl = `${services.config.publicUrl}/upstream/callback`;

  router.get('/', permit('settings.manage'), async (req, res) => {
    const body = upstreamBody({ providers: await services.upstream.list(), csrfToken: res.locals.csrfToken, callbackUrl, notice: req.query.done === '1' ? 'Saved.' : undefined });
    res.type('html').send(adminPage('Sign-in providers', await shellState(services, req, res, '/admin/upstream'), body));
  });

  router.post('/', permit('settings.manage'), async (req, res) => {
    const values: UpstreamFormValues = {
      label: str(req.body?.label), issuer: str(req.body?.issuer), clientId: str(req.body?.clientId), scopes: str(req.body?.scopes), emailClaim: str(req.body?.emailClaim), createAccounts: req.body?.createAccounts === 'on', enforcesSecondFactor: req.body?.enforcesSecondFactor === 'on',
    };
    try {
      await services.upstream.add(contextOf(req, 'admin'), {
        label: values.label!, issuer: values.issuer!, clientId: values.clientId!, clientSecret: str(req.body?.clientSecret) || null,
        scopes: values.scopes, claimMapping: values.emailClaim ? { email: values.emailClaim } : undefined, createAccounts: values.createAccounts, enforcesSecondFactor: values.enforcesSecondFactor,
      });
      res.redirect(303, '/admin/upstream?done=1');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const body = upstreamBody({ providers: await services.upstream.list(), csrfToken: res.locals.csrfToken, callbackUrl, values, errors: err.fields });
      res.status(400).type('html').send(adminPage('Sign-in providers', await shellState(services, req, res, '/admin/upstream'), body));
    }
  });

  router.post('/:id/remove', permit('settings.manage'), async (req, res) => {
    await services.upstream.remove(contextOf(req, 'admin'), String(req.params.id));
    res.redirect(303, '/admin/upstream?done=1');
  });

  return router;
}
