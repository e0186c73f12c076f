// /admin/upstream: translate the form to UpstreamService calls.
import { Router } from 'express';
import type { Services } from '../../../services.js';
import { ValidationError } from '../../../errors.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { DominanceRefused } from '../../../roles/dominance.js';
import { upstreamBody, upstreamEditBody, type UpstreamFormValues } from './upstream-page.js';

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const valuesOf = (body: Record<string, unknown> | undefined): UpstreamFormValues => ({
  label: str(body?.label), issuer: str(body?.issuer), clientId: str(body?.clientId), scopes: str(body?.scopes), emailClaim: str(body?.emailClaim),
  createAccounts: body?.createAccounts === 'on', enforcesSecondFactor: body?.enforcesSecondFactor === 'on',
});

export function upstreamAdminRoutes(services: Services): Router {
  const router = Router();
  const callbackUrl = `${services.config.publicUrl}/upstream/callback`;

  router.get('/', permit('settings.manage'), async (req, res) => {
    const body = upstreamBody({ providers: await services.upstream.list(), csrfToken: res.locals.csrfToken, callbackUrl, notice: req.query.done === '1' ? 'Saved.' : undefined });
    res.type('html').send(adminPage('Sign-in providers', await shellState(services, req, res, '/admin/upstream'), body));
  });

  router.post('/', permit('settings.manage'), async (req, res) => {
    const values = valuesOf(req.body);
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

  router.get('/:id', permit('settings.manage'), async (req, res) => {
    const provider = await services.upstream.get(String(req.params.id));
    res.type('html').send(adminPage(provider.label, await shellState(services, req, res, '/admin/upstream'), upstreamEditBody({ provider, csrfToken: res.locals.csrfToken })));
  });

  router.post('/:id', permit('settings.manage'), async (req, res) => {
    const provider = await services.upstream.get(String(req.params.id));
    const values = valuesOf(req.body);
    try {
      await services.upstream.update(contextOf(req, 'admin'), provider.id, {
        label: values.label!, issuer: values.issuer!, clientId: values.clientId!, clientSecret: str(req.body?.clientSecret) || null,
        scopes: values.scopes, claimMapping: values.emailClaim ? { ...provider.claimMapping, email: values.emailClaim } : undefined, createAccounts: values.createAccounts, enforcesSecondFactor: values.enforcesSecondFactor,
      });
      res.redirect(303, '/admin/upstream?done=1');
    } catch (err) {
      const refused = err instanceof DominanceRefused;
      if (!refused && !(err instanceof ValidationError)) throw err;
      const body = upstreamEditBody({
        provider, csrfToken: res.locals.csrfToken, values,
        errors: err instanceof ValidationError ? err.fields : undefined,
        refusal: refused ? `Who ${provider.label} signs in as is decided by these settings, so only someone who could manage every account linked to it may change them. ${err.message}` : undefined,
      });
      res.status(refused ? 403 : 400).type('html').send(adminPage(provider.label, await shellState(services, req, res, '/admin/upstream'), body));
    }
  });

  router.post('/:id/remove', permit('settings.manage'), async (req, res) => {
    try {
      await services.upstream.remove(contextOf(req, 'admin'), String(req.params.id));
      res.redirect(303, '/admin/upstream?done=1');
    } catch (err) {
      if (!(err instanceof DominanceRefused)) throw err;
      const provider = await services.upstream.get(String(req.params.id));
      const refusal = `Removing ${provider.label} unlinks the accounts that sign in with it, so only someone who could manage every one of them may remove it. ${err.message}`;
      res.status(403).type('html').send(adminPage(provider.label, await shellState(services, req, res, '/admin/upstream'), upstreamEditBody({ provider, csrfToken: res.locals.csrfToken, refusal })));
    }
  });

  return router;
}
