// The Express application: headers, request ids and logging, the OIDC provider's
// endpoints, body parsing, CSRF, the pages, and the error handler last.
// buildApp(services) creates the protocol edges (async: keys come from the database);
// createApp(services, edges) assembles what it is given.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { scriptRoutes } from './web/scripts/script-routes.js';
import helmet from 'helmet';
import type { Services } from './services.js';
import { requestIds } from './web/request-context.js';
import { forwardedAsDecided } from './web/forwarded-headers.js';
import { refuseNulInBody, refuseNulInUrl } from './web/nul-guard.js';
import { csrfProtection } from './web/csrf.js';
import { multipartForms } from './web/multipart-form.js';
import { errorHandler } from './web/error-handler.js';
import { healthRoutes } from './web/health-routes.js';
import { setupRoutes } from './web/setup/setup-routes.js';
import { invitationRoutes } from './web/invitations/accept-routes.js';
import { signInAfterAccept } from './web/session/login-ticket.js';
import { registrationRoutes } from './web/registration/registration-routes.js';
import { reactivationRoutes } from './web/reactivation/reactivate-routes.js';
import { emailRestoreRoutes } from './web/email-restore/restore-routes.js';
import { homeRoutes } from './web/home-page.js';
import { consoleScriptRoutes } from './web/console-script.js';
import { NotFound } from './errors.js';
import { createOidcEdge, ADMIN_CLIENT_ID, ADMIN_CALLBACK_PATH, SIGNED_OUT_PATH, OIDC_ENDPOINT_PATHS, adminClientSecret, type OidcEdge } from '../oidc/index.js';
import { PageRelyingParty } from './web/session/page-relying-party.js';
import { optionalSession, requireSession, sessionRoutes, type SessionDeps } from './web/session/session-routes.js';
import { adminRoutes } from './web/admin/admin-routes.js';
import { accountRoutes } from './web/account/account-routes.js';
import { passwordResetRoutes } from './web/password/password-reset-routes.js';
import { scimRouter } from '../scim/router.js';
import { scimMetrics } from '../scim/http/scim-metrics.js';
import { httpMetrics, namePathsUnder } from './web/http-metrics.js';
import { metricsRoutes } from './web/metrics-routes.js';
import { apiRouter } from './api/api-router.js';
import { apiDocsRoutes } from './api/docs-page.js';
import { API_PATH } from './clients/api-scopes.js';

export interface Edges {
  oidc: OidcEdge;
  session: SessionDeps;
}

export async function buildApp(services: Services): Promise<{ app: Express; edges: Edges }> {
  const oidc = await createOidcEdge(services);
  const cookieKeys = await services.cookieKeys();
  const { publicUrl } = services.config;
  const relyingParty = new PageRelyingParty({
    publicUrl,
    clientId: ADMIN_CLIENT_ID,
    clientSecret: adminClientSecret(cookieKeys),
    callbackUrl: `${publicUrl}${ADMIN_CALLBACK_PATH}`,
    signedOutUrl: `${publicUrl}${SIGNED_OUT_PATH}`,
    internalUrl: () => services.runtime.internalUrl,
  });
  const edges: Edges = { oidc, session: { services, sessions: services.webSessions, relyingParty, cookieKeys } };
  return { app: createApp(services, edges), edges };
}

// helmet's default CSP has form-action 'self', which makes Chromium abort the redirect to
// a client on another origin after a sign-in or sign-out POST: the
// sign-in pages drop it. Plain-http deployments (development) must not upgrade requests.
function securityHeaders(publicUrl: string) {
  const upgrade: Record<string, null> = publicUrl.startsWith('https:') ? {} : { upgradeInsecureRequests: null };
  const strict = helmet({ contentSecurityPolicy: { directives: { ...upgrade } } });
  const signIn = helmet({ contentSecurityPolicy: { directives: { ...upgrade, formAction: null } } });
  return (req: Request, res: Response, next: NextFunction) => (/^\/(interaction|oidc)\//.test(req.path) ? signIn : strict)(req, res, next);
}

export function createApp(services: Services, edges?: Edges): Express {
  const app = express();
  app.disable('x-powered-by');
  // First, so every answer is timed, whoever gives it.
  app.use(httpMetrics(services.metrics, namePathsUnder(OIDC_ENDPOINT_PATHS)));
  // Behind a reverse proxy, X-Forwarded-* decide req.ip, req.secure and so secure cookies;
  // only the entries the configured hops or addresses wrote are believed (config/parsers.ts).
  app.set('trust proxy', services.config.trustProxy);
  app.use(forwardedAsDecided());
  app.use(requestIds(services.logger));
  app.use(securityHeaders(services.config.publicUrl));
  app.use(healthRoutes(services));
  // Prometheus metrics on the main port only with their bearer token (else 404 like any unknown page).
  if (services.config.metrics.token) app.use(metricsRoutes(services.metrics, services.config.metrics.token));
  app.use(consoleScriptRoutes());
  app.use(scriptRoutes());
  // SCIM 2.0: bearer-token JSON for directories; no cookies, so before CSRF.
  app.use('/scim/v2', scimMetrics(services.metrics), scimRouter(services));
  // The management API: bearer-token JSON, no cookies, so before CSRF too.
  app.use(API_PATH, apiRouter(services, edges?.oidc.apiTokens ?? null));
  app.use(apiDocsRoutes());
  app.use(refuseNulInUrl());
  if (edges) app.use(edges.oidc.providerRouter);
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  // CSV uploads to the directory pages are multipart (a file input works without JavaScript), read before the CSRF check.
  app.use('/admin/directory', multipartForms({ limit: '32mb' }));
  app.use('/admin/invitations/bulk', multipartForms({ limit: '8mb' }));
  app.use(refuseNulInBody());
  app.use(csrfProtection());
  // The start page names the organization and, for a signed-in person, where they may go.
  app.use(homeRoutes(services, edges ? optionalSession(edges.session) : undefined));
  app.use(setupRoutes(services));
  app.use(passwordResetRoutes(services));
  // An accepted invitation lands signed in on the account page: the login ticket lets the
  // provider's sign-in interaction finish without asking for the new password again.
  app.use(invitationRoutes(services, { afterAccept: signInAfterAccept(services) }));
  app.use(registrationRoutes(services));
  // Reactivation links an admin sent: public, like the other emailed links.
  app.use(reactivationRoutes(services));
  // "It wasn't me" links to an address someone else replaced: public too.
  app.use(emailRestoreRoutes(services));
  if (edges) {
    app.use(edges.oidc.interactionRouter);
    app.use(sessionRoutes(edges.session));
    app.use('/admin', requireSession(edges.session), adminRoutes(services));
    app.use('/account', requireSession(edges.session), accountRoutes(services));
  }
  app.use((_req, _res, next) => next(new NotFound('There is no page at this address.')));
  app.use(errorHandler(services.logger));
  return app;
}
