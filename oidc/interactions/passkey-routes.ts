// Passkeys in the sign-in interaction: "Sign in with a passkey" (no username: the browser
// offers the discoverable passkeys it holds for this site), the passkey as the second step
// or a step-up, and the enrolment a role's policy forces. The challenge of each ceremony is
// bound to this interaction. PasskeyService decides; these routes translate.
import { Router, type Request, type Response } from 'express';
import type { Provider } from 'oidc-provider';
import type { Services } from '../../src/services.js';
import { contextOf } from '../../src/web/request-context.js';
import { ValidationError } from '../../src/errors.js';
import { PasskeyRefused } from '../../src/passkeys/passkey-service.js';
import { finishLogin, pendingOf, type Details } from './second-step.js';
import { passkeyEnrolPage, passkeyStepPage } from './passkey-pages.js';
import { totpPage } from './interaction-pages.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Renders the sign-in page again with a message (interaction-routes.ts knows how). */
export type LoginPageRenderer = (res: Response, d: Details, error: string, status: number) => Promise<void>;

export function passkeyInteractionRoutes(provider: Provider, services: Services, renderLogin: LoginPageRenderer): Router {
  const router = Router();
  const details = (req: Request, res: Response) => provider.interactionDetails(req, res);
  const bindingOf = (d: Details) => `interaction:${d.uid}`;

  router.post('/interaction/:uid/passkey/options', async (req, res) => {
    const d = await details(req, res);
    if (d.prompt.name !== 'login') return res.status(400).json({ error: 'This sign-in step does not take a passkey.' });
    // Pending after a password: that account's passkeys; else any discoverable one.
    res.json(await services.passkeys.authenticationOptions(bindingOf(d), pendingOf(d)?.accountId ?? null));
  });

  router.post('/interaction/:uid/passkey', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    try {
      const account = await services.passkeys.authenticate(contextOf(req, 'oidc'), bindingOf(d), str(req.body?.response), pending?.accountId ?? null);
      if (pending) return finishLogin(services, res, d, account.id, { first: pending.first ?? 'pwd', second: 'passkey' });
      return finishLogin(services, res, d, account.id, { first: 'hwk' });
    } catch (err) {
      if (!(err instanceof PasskeyRefused)) throw err;
      if (!pending) return renderLogin(res, d, err.message, 401);
      const codeInstead = (await services.totp.isEnrolled(pending.accountId)) && (await services.passkeys.policyFor(pending.accountId)) === 'allowed';
      res.status(401).type('html').send(passkeyStepPage({ uid: d.uid, csrfToken: res.locals.csrfToken, codeInstead, error: err.message }));
    }
  });

  router.post('/interaction/:uid/passkey/register-options', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending) return res.status(400).json({ error: 'Sign in with your password first.' });
    res.json(await services.passkeys.registrationOptions(pending.accountId, bindingOf(d)));
  });

  router.post('/interaction/:uid/passkey/register', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending) return res.redirect(303, `/interaction/${d.uid}`);
    try {
      await services.passkeys.register(contextOf(req, 'oidc'), pending.accountId, bindingOf(d), str(req.body?.name), str(req.body?.response));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return res.status(400).type('html').send(passkeyEnrolPage({ uid: d.uid, csrfToken: res.locals.csrfToken, error: Object.values(err.fields)[0] ?? err.message }));
    }
    // The new passkey was created with user verification: it is the second factor of this sign-in.
    await finishLogin(services, res, d, pending.accountId, { first: pending.first ?? 'pwd', second: 'passkey' });
  });

  // The code instead of a passkey, for an account with both (unless its role requires the passkey).
  router.get('/interaction/:uid/totp', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending || !(await services.totp.isEnrolled(pending.accountId)) || (await services.passkeys.policyFor(pending.accountId)) !== 'allowed') {
      return res.redirect(303, `/interaction/${d.uid}`);
    }
    res.type('html').send(totpPage({ uid: d.uid, csrfToken: res.locals.csrfToken }));
  });

  return router;
}
