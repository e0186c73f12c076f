// Sign-in and sign-out of Gatehouse's own pages through the provider, and the middleware
// that loads the signed-in user (with their current permissions) on every page request.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import type { Actor } from '../../context.js';
import { addMs, MINUTE_MS } from '../../clock.js';
import { readCookie } from '../cookies.js';
import type { PageRelyingParty, PendingSignIn } from './page-relying-party.js';
import { signValue, verifyValue } from './signed-cookie.js';
import type { WebSessionService } from './web-session-service.js';
import type { UserView } from '../../users/user-presenter.js';
import { html } from '../../html.js';
import { page } from '../layout.js';

export const SESSION_COOKIE = 'gh_session';
const SIGN_IN_COOKIE = 'gh_signin';

declare module 'express-serve-static-core' {
  interface Request {
    user?: UserView;
    sessionIdToken?: string | null;
    /** The stored hash of this request's page session (the account page marks it "this browser"). */
    sessionIdHash?: string;
  }
}

export interface SessionDeps {
  services: Services;
  sessions: WebSessionService;
  relyingParty: PageRelyingParty;
  cookieKeys: string[];
}

/** Only same-site paths may be returned to after sign-in (no open redirects). */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/account';
}

export function sessionRoutes(deps: SessionDeps): Router {
  const { services, sessions, relyingParty, cookieKeys } = deps;
  const router = Router();

  router.get('/auth/login', async (req, res) => {
    const { url, pending } = await relyingParty.start(safeReturnTo(req.query.returnTo));
    res.cookie(SIGN_IN_COOKIE, signValue(pending, cookieKeys, addMs(services.clock.now(), 10 * MINUTE_MS)), {
      httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/auth', maxAge: 10 * MINUTE_MS,
    });
    res.redirect(303, url);
  });

  router.get('/auth/callback', async (req, res) => {
    const pending = verifyValue<PendingSignIn>(readCookie(req, SIGN_IN_COOKIE), cookieKeys, services.clock.now());
    res.clearCookie(SIGN_IN_COOKIE, { path: '/auth' });
    if (!pending) {
      res.status(400).type('html').send(page('Sign-in expired', html`<h1>Sign-in took too long</h1><p>Please <a href="/auth/login">sign in again</a>.</p>`));
      return;
    }
    let result;
    try {
      const current = new URL(req.originalUrl, services.config.publicUrl);
      result = await relyingParty.finish(current, pending);
    } catch (err) {
      services.logger.warn({ reason: (err as Error).message }, 'page sign-in callback refused');
      res.status(400).type('html').send(page('Sign-in failed', html`<h1>Sign-in did not complete</h1><p>Please <a href="/auth/login">try again</a>.</p>`));
      return;
    }
    const token = await sessions.create(result.sub, result.idToken, { userAgent: req.get('user-agent'), ip: req.ip });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    res.redirect(303, pending.returnTo);
  });

  router.post('/auth/logout', async (req, res) => {
    const ended = await sessions.destroy(readCookie(req, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    if (ended) await services.audit.record({ actor: { userId: ended.userId, label: ended.userId, permissions: new Set() }, source: 'account', ip: req.ip ?? null, requestId: req.id }, 'signout', {}, { type: 'user', id: ended.userId });
    // Ends the provider session too (RP-initiated logout).
    res.redirect(303, relyingParty.endSessionUrl(ended?.idToken ?? null));
  });

  router.get('/auth/signed-out', (_req, res) => {
    res.type('html').send(page('Signed out', html`<h1>You are signed out</h1><p><a href="/auth/login">Sign in again</a></p>`));
  });

  return router;
}

/** The live session's user, if any (an inactive account's session does not count). */
async function signedIn(deps: SessionDeps, req: Request) {
  const session = await deps.sessions.find(readCookie(req, SESSION_COOKIE));
  if (!session) return null;
  // The account and its permissions at once: every page request waits for both.
  const [user, permissions] = await Promise.all([
    deps.services.users.get(session.userId).catch(() => null),
    deps.services.roles.effectivePermissionsOf(session.userId),
  ]);
  if (!user || user.status !== 'active') return null;
  const actor: Actor = { userId: user.id, label: user.username, permissions };
  return { session, user, actor };
}

/** Loads the session's user and actor when there is a live session; never redirects. */
export function optionalSession(deps: SessionDeps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const found = await signedIn(deps, req);
    if (found) {
      req.user = found.user;
      req.actor = found.actor;
    }
    next();
  };
}

/** Loads the session's user and actor; without a live session, sends the browser to sign in. */
export function requireSession(deps: SessionDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const found = await signedIn(deps, req);
    if (!found) {
      if (req.method === 'GET') return res.redirect(303, `/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
      return res.status(401).type('html').send(page('Signed out', html`<h1>Your session has ended</h1><p><a href="/auth/login">Sign in again</a>.</p>`));
    }
    req.user = found.user;
    req.sessionIdToken = found.session.idToken;
    req.sessionIdHash = found.session.idHash;
    req.actor = found.actor;
    next();
  };
}
