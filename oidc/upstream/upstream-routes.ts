// Upstream sign-in: from our sign-in page to an upstream OpenID
// provider with openid-client (PKCE, state, nonce) and back. UpstreamService decides which
// account the identity signs in as (asking for the account's password before a first link
// of an account holding permissions); the interaction then goes on like a password sign-in,
// second factor included, unless the provider is trusted to enforce one itself.
import { Router, type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import type { Provider } from 'oidc-provider';
import type { Services } from '../../src/services.js';
import { addMs, MINUTE_MS } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import { html } from '../../src/html.js';
import { page } from '../../src/web/layout.js';
import { readCookie } from '../../src/web/cookies.js';
import { contextOf } from '../../src/web/request-context.js';
import { signValue, verifyValue } from '../../src/web/session/signed-cookie.js';
import { UpstreamLinkPasswordWrong, type PendingLink, type UpstreamConnection } from '../../src/upstream/upstream-service.js';
import { upstreamLinkPage } from '../interactions/interaction-pages.js';
import { afterFirstFactor, finishLogin, type Details } from '../interactions/second-step.js';

const START_COOKIE = 'gh_upstream';
const RESULT_COOKIE = 'gh_upstream_result';
const LINK_COOKIE = 'gh_upstream_link';
const TTL_MS = 10 * MINUTE_MS;

interface Result {
  uid: string;
  accountId: string;
  providerId: string;
}

interface Started {
  uid: string;
  providerId: string;
  verifier: string;
  state: string;
  nonce: string;
}

export function upstreamRoutes(provider: Provider, services: Services): Router {
  const router = Router();
  const callbackUrl = `${services.config.publicUrl}/upstream/callback`;
  const configs = new Map<string, Promise<oidc.Configuration>>();

  const configFor = (c: UpstreamConnection) => {
    const key = `${c.id}|${c.issuer}|${c.clientId}`;
    let config = configs.get(key);
    if (!config) {
      const loopback = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(c.issuer);
      config = oidc.discovery(new URL(c.issuer), c.clientId, { redirect_uris: [callbackUrl] }, c.clientSecret ? oidc.ClientSecretBasic(c.clientSecret) : oidc.None(), {
        execute: loopback ? [oidc.allowInsecureRequests] : [],
      });
      config.catch(() => configs.delete(key));
      configs.set(key, config);
    }
    return config;
  };

  const problem = (res: Response, status: number, message: string, uid?: string) =>
    res.status(status).type('html').send(
      page('Sign-in problem', html`<h1>Sign-in did not complete</h1><p>${message}</p>${uid ? html`<p><a href="/interaction/${uid}">Back to the sign-in page</a></p>` : ''}`),
    );

  router.get('/interaction/:uid/upstream/:providerId', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    let connection: UpstreamConnection;
    let config: oidc.Configuration;
    try {
      connection = await services.upstream.connection(String(req.params.providerId));
      config = await configFor(connection);
    } catch (err) {
      services.logger.warn({ reason: (err as Error).message }, 'upstream provider unavailable');
      return problem(res, 502, 'This sign-in option is not reachable right now. Sign in another way or try again later.', details.uid);
    }
    const started: Started = { uid: details.uid, providerId: connection.id, verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: connection.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(started.verifier),
      code_challenge_method: 'S256',
      state: started.state,
      nonce: started.nonce,
    });
    res.cookie(START_COOKIE, signValue(started, await services.cookieKeys(), addMs(services.clock.now(), TTL_MS)), { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/upstream', maxAge: TTL_MS });
    res.redirect(303, url.toString());
  });

  router.get('/upstream/callback', async (req: Request, res: Response) => {
    const started = verifyValue<Started>(readCookie(req, START_COOKIE), await services.cookieKeys(), services.clock.now());
    res.clearCookie(START_COOKIE, { path: '/upstream' });
    if (!started) return problem(res, 400, 'The sign-in took too long or was started in another browser. Start again from the application.');
    let claims: Record<string, unknown>;
    try {
      const connection = await services.upstream.connection(started.providerId);
      const config = await configFor(connection);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, services.config.publicUrl), {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      if (!claims[connection.claimMapping.email] && tokens.access_token) {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
      }
    } catch (err) {
      services.logger.warn({ reason: (err as Error).message }, 'upstream sign-in callback refused');
      return problem(res, 400, 'The identity provider did not confirm the sign-in.', started.uid);
    }
    try {
      const outcome = await services.upstream.resolveAccount(contextOf(req, 'upstream'), started.providerId, claims);
      if (outcome.pending) {
        res.cookie(LINK_COOKIE, signValue({ uid: started.uid, pending: outcome.pending }, await services.cookieKeys(), addMs(services.clock.now(), TTL_MS)), {
          httpOnly: true, sameSite: 'lax', secure: req.secure, path: `/interaction/${started.uid}`, maxAge: TTL_MS,
        });
        return res.redirect(303, `/interaction/${started.uid}/upstream-link`);
      }
      const result: Result = { uid: started.uid, accountId: outcome.user.id, providerId: started.providerId };
      res.cookie(RESULT_COOKIE, signValue(result, await services.cookieKeys(), addMs(services.clock.now(), 2 * MINUTE_MS)), {
        httpOnly: true, sameSite: 'lax', secure: req.secure, path: `/interaction/${started.uid}`, maxAge: 2 * MINUTE_MS,
      });
      res.redirect(303, `/interaction/${started.uid}/upstream-done`);
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      return problem(res, err.status, err.message, started.uid);
    }
  });

  /** Signed in by the provider: Gatehouse's own second step, unless the provider enforces one. */
  const complete = async (res: Response, d: Details, accountId: string, providerId: string) => {
    const connection = await services.upstream.connection(providerId);
    if (connection.enforcesSecondFactor) return finishLogin(services, res, d, accountId, { first: 'fed', second: 'upstream' });
    await afterFirstFactor(services, res, d, await services.users.get(accountId), 'fed');
  };

  const pendingLink = async (req: Request, uid: string) => {
    const link = verifyValue<{ uid: string; pending: PendingLink }>(readCookie(req, LINK_COOKIE), await services.cookieKeys(), services.clock.now());
    return link && link.uid === uid ? link.pending : null;
  };

  router.get('/interaction/:uid/upstream-link', async (req, res) => {
    const d = await provider.interactionDetails(req, res);
    const pending = await pendingLink(req, d.uid);
    if (!pending) return res.redirect(303, `/interaction/${d.uid}`);
    res.type('html').send(upstreamLinkPage({ uid: d.uid, csrfToken: res.locals.csrfToken, providerLabel: pending.providerLabel, email: pending.email }));
  });

  router.post('/interaction/:uid/upstream-link', async (req, res) => {
    const d = await provider.interactionDetails(req, res);
    const pending = await pendingLink(req, d.uid);
    if (!pending) return res.redirect(303, `/interaction/${d.uid}`);
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    try {
      const user = await services.upstream.confirmLink(contextOf(req, 'upstream'), pending, password);
      res.clearCookie(LINK_COOKIE, { path: `/interaction/${d.uid}` });
      await complete(res, d, user.id, pending.providerId);
    } catch (err) {
      if (err instanceof UpstreamLinkPasswordWrong) {
        return res.status(401).type('html').send(upstreamLinkPage({ uid: d.uid, csrfToken: res.locals.csrfToken, providerLabel: pending.providerLabel, email: pending.email, error: err.message }));
      }
      if (!(err instanceof DomainError) || !err.expose) throw err;
      res.clearCookie(LINK_COOKIE, { path: `/interaction/${d.uid}` });
      return problem(res, err.status, err.message, d.uid);
    }
  });

  router.get('/interaction/:uid/upstream-done', async (req, res) => {
    const d = await provider.interactionDetails(req, res);
    const result = verifyValue<Result>(readCookie(req, RESULT_COOKIE), await services.cookieKeys(), services.clock.now());
    res.clearCookie(RESULT_COOKIE, { path: `/interaction/${d.uid}` });
    if (!result || result.uid !== d.uid) return res.redirect(303, `/interaction/${d.uid}`);
    await complete(res, d, result.accountId, result.providerId);
  });

  return router;
}
