// The provider's interactions: sign-in (password, passkey or upstream, then a passkey or TOTP
// when enrolled or required; passkey-routes.ts has the passkey ceremonies),
// consent (third-party clients; management API scopes for every client), and cancel. Pages translate; SignInService and
// TotpService decide.
import { Router, type Request, type Response } from 'express';
import type { Provider } from 'oidc-provider';
import type { Services } from '../../src/services.js';
import { contextOf } from '../../src/web/request-context.js';
import { DomainError, ValidationError } from '../../src/errors.js';
import { raw } from '../../src/html.js';
import { consentPage, loginPage, recoveryCodesPage, totpEnrolPage, totpPage } from './interaction-pages.js';
import { afterFirstFactor, finishLogin, pendingOf, savePending, type Details } from './second-step.js';
import { takeLoginTicket } from '../../src/web/session/login-ticket.js';
import { ACR_MULTI_FACTOR, ACR_PHISHING_RESISTANT, requestedAcr, type Factors } from './authentication-level.js';
import { STEP_UP_REASONS } from './interaction-policy.js';
import { passkeyInteractionRoutes } from './passkey-routes.js';
import { passkeyStepPage } from './passkey-pages.js';
import { isApiScope } from '../../src/clients/api-scopes.js';

function missingResourceScopesOf(d: Details): Record<string, string[]> {
  return (d.prompt.details as { missingResourceScopes?: Record<string, string[]> }).missingResourceScopes ?? {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function interactionRoutes(provider: Provider, services: Services): Router {
  const router = Router();

  const details = (req: Request, res: Response) => provider.interactionDetails(req, res);

  const clientName = async (d: Details) => {
    const client = await provider.Client.find(String(d.params.client_id));
    return client?.clientName ?? String(d.params.client_id);
  };

  /** Links on the sign-in page: registration when it is on, upstream providers. */
  const loginOptions = async () => ({
    organizationName: await services.settings.get('organizationName'),
    registrationOpen: (await services.registration.policy()).open,
    upstream: await services.upstream.signInOptions(),
  });

  /**
   * A signed-in user asked for more than the session has (acr_values or an essential acr
   * wanting a second factor): only the second factor is asked for, when there is one.
   */
  const stepUp = async (res: Response, d: Details, accountId: string) => {
    const first: Factors['first'] = d.session?.amr?.includes('fed') ? 'fed' : 'pwd';
    const wanted = requestedAcr(d.params).values;
    // A phishing-resistant sign-in asked for: the passkey, from an account that has one.
    if (wanted.includes(ACR_PHISHING_RESISTANT) && (await services.passkeys.count(accountId)) > 0) {
      await savePending(d, { accountId, first });
      return void res.type('html').send(passkeyStepPage({ uid: d.uid, csrfToken: res.locals.csrfToken, codeInstead: false }));
    }
    // Asking for a code helps only when a second factor is what the request wants; any
    // other essential acr ends at once, met or unmet (finishLogin decides).
    if (!wanted.includes(ACR_MULTI_FACTOR)) return finishLogin(services, res, d, accountId, { first });
    // The same second step as after a password: the code, or the enrolment a role requires.
    return afterFirstFactor(services, res, d, { id: accountId, totpEnabled: await services.totp.isEnrolled(accountId) }, first);
  };

  const renderLogin = async (res: Response, d: Details, error: string, status: number, login = '') => {
    res.status(status).type('html').send(loginPage({ uid: d.uid, csrfToken: res.locals.csrfToken, clientName: await clientName(d), login, error, ...(await loginOptions()) }));
  };

  router.use(passkeyInteractionRoutes(provider, services, renderLogin));

  const isStepUp = (d: Details) => !!d.session?.accountId && d.prompt.reasons.length > 0 && d.prompt.reasons.every((r) => STEP_UP_REASONS.has(r));

  router.get('/interaction/:uid', async (req, res) => {
    const d = await details(req, res);
    if (d.prompt.name === 'login') {
      // An invitation just accepted signs its new account in without asking again.
      const ticketAccount = await takeLoginTicket(req, res, services);
      if (ticketAccount) return finishLogin(services, res, d, ticketAccount, { first: 'pwd' });
      if (isStepUp(d)) return stepUp(res, d, d.session!.accountId);
      // login_hint (OIDC Core §3.1.2.1) only pre-fills the field: the user still signs in.
      const login = str(d.params.login_hint).slice(0, 320);
      return res.type('html').send(loginPage({ uid: d.uid, csrfToken: res.locals.csrfToken, clientName: await clientName(d), login, ...(await loginOptions()) }));
    }
    if (d.prompt.name === 'consent') {
      const scopes = String(d.params.scope ?? 'openid').split(' ').filter((s) => s && !isApiScope(s));
      const claims = (d.prompt.details as { missingOIDCClaims?: string[] }).missingOIDCClaims ?? [];
      const apiScopes = Object.values(missingResourceScopesOf(d)).flat();
      return res.type('html').send(consentPage({ uid: d.uid, csrfToken: res.locals.csrfToken, clientName: await clientName(d), scopes, claims, apiScopes }));
    }
    return res.status(400).type('html').send(loginPage({ uid: d.uid, csrfToken: res.locals.csrfToken, clientName: await clientName(d), error: 'This sign-in step is not supported.' }));
  });

  router.post('/interaction/:uid/login', async (req, res) => {
    const d = await details(req, res);
    const login = str(req.body?.login);
    try {
      const account = await services.signIn.authenticate(contextOf(req, 'oidc'), login, str(req.body?.password));
      // A role that signs in with a passkey only: the right password is not enough (it
      // still enrols the first passkey, as the next step).
      if ((await services.passkeys.policyFor(account.id)) === 'passkey_only' && (await services.passkeys.count(account.id)) > 0) {
        await services.audit.record(contextOf(req, 'oidc'), 'signin.failed', { login, reason: 'passkey_only' }, { type: 'user', id: account.id, label: account.username });
        return renderLogin(res, d, 'Your organization requires a passkey to sign in to this account: use "Sign in with a passkey".', 403, login);
      }
      // After the password: a second step when enrolled, a forced enrolment when required.
      await afterFirstFactor(services, res, d, account, 'pwd');
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      await renderLogin(res, d, err.message, err.status, login);
    }
  });

  router.post('/interaction/:uid/totp', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending) return res.redirect(303, `/interaction/${d.uid}`);
    const method = await services.totp.verify(contextOf(req, 'oidc'), pending.accountId, str(req.body?.code));
    if (!method) {
      await services.audit.record(contextOf(req, 'oidc'), 'signin.failed', { reason: 'wrong_totp' }, { type: 'user', id: pending.accountId });
      return res.status(401).type('html').send(totpPage({ uid: d.uid, csrfToken: res.locals.csrfToken, error: 'That code is not right. Try the current code or a recovery code.' }));
    }
    await finishLogin(services, res, d, pending.accountId, { first: pending.first ?? 'pwd', second: method === 'totp' ? 'totp' : 'recovery' });
  });

  router.post('/interaction/:uid/totp-enrol', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending) return res.redirect(303, `/interaction/${d.uid}`);
    try {
      const codes = await services.totp.confirmEnrolment(contextOf(req, 'oidc'), pending.accountId, str(req.body?.code));
      await savePending(d, { accountId: pending.accountId, first: pending.first, enrolled: true });
      return res.type('html').send(recoveryCodesPage({ continueUrl: `/interaction/${d.uid}/continue`, codes, csrfToken: res.locals.csrfToken }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const enrolment = await services.totp.pendingEnrolment(pending.accountId);
      if (!enrolment) return res.redirect(303, `/interaction/${d.uid}`);
      return res.status(400).type('html').send(totpEnrolPage({ uid: d.uid, csrfToken: res.locals.csrfToken, qrSvg: raw(enrolment.qrSvg), secret: enrolment.secret, error: err.fields.code }));
    }
  });

  router.post('/interaction/:uid/continue', async (req, res) => {
    const d = await details(req, res);
    const pending = pendingOf(d);
    if (!pending?.enrolled) return res.redirect(303, `/interaction/${d.uid}`);
    await finishLogin(services, res, d, pending.accountId, { first: pending.first ?? 'pwd', second: 'totp' });
  });

  // Allow: everything asked for. Without API access: the sign-in and its OpenID scopes, with
  // the management API scopes recorded as refused (the provider then issues none of them).
  const consent = (withApi: boolean) => async (req: Request, res: Response) => {
    const d = await details(req, res);
    if (d.prompt.name !== 'consent' || !d.session?.accountId) return res.redirect(303, `/interaction/${d.uid}`);
    const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId: d.session.accountId, clientId: String(d.params.client_id) });
    const missing = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopesOf(d))) {
      if (withApi) grant!.addResourceScope(resource, scopes.join(' '));
      else grant!.rejectResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant!.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };
  router.post('/interaction/:uid/confirm', consent(true));
  router.post('/interaction/:uid/confirm-without-api', consent(false));

  router.get('/interaction/:uid/abort', async (req, res) => {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  });

  return router;
}
