// /password/forgot and /password/reset: translate the forms to PasswordResetService and its
// errors back to the pages. Opening a link (GET) never spends it: mail scanners open links.
import { Router } from 'express';
import { ValidationError } from '../../errors.js';
import { PASSWORD_PATHS, ResetLinkError } from '../../passwords/password-reset-service.js';
import type { Services } from '../../services.js';
import { contextOf } from '../request-context.js';
import { forgotPage, resetDonePage, resetLinkProblemPage, resetPage, resetRequestedPage } from './password-reset-page.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function passwordResetRoutes(services: Services): Router {
  const router = Router();
  const resets = services.passwordResets;

  router.get(PASSWORD_PATHS.forgot, (_req, res) => {
    res.type('html').send(forgotPage(res.locals.csrfToken));
  });

  router.post(PASSWORD_PATHS.forgot, async (req, res) => {
    const email = str(req.body?.email).trim();
    try {
      // The outcome is deliberately ignored: every well-formed address gets the same page.
      await resets.request(contextOf(req, 'account'), email);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return res.status(400).type('html').send(forgotPage(res.locals.csrfToken, { email }, err.fields));
    }
    res.type('html').send(resetRequestedPage());
  });

  // The reset pages carry the token: never kept in a cache (helmet already sends no Referer).
  router.use(PASSWORD_PATHS.reset, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get(PASSWORD_PATHS.reset, async (req, res) => {
    const token = str(req.query.token);
    try {
      const user = await resets.check(token);
      res.type('html').send(resetPage({ token, csrfToken: res.locals.csrfToken, login: user.email ?? user.username }));
    } catch (err) {
      if (!(err instanceof ResetLinkError)) throw err;
      res.status(err.status).type('html').send(resetLinkProblemPage(err.title, err.message));
    }
  });

  router.post(PASSWORD_PATHS.reset, async (req, res) => {
    const token = str(req.body?.token);
    const password = str(req.body?.password);
    try {
      const user = await resets.check(token);
      if (password !== str(req.body?.passwordConfirmation)) {
        return res.status(400).type('html').send(resetPage({ token, csrfToken: res.locals.csrfToken, login: user.email ?? user.username, errors: { passwordConfirmation: 'The two passwords are not the same.' } }));
      }
      try {
        await resets.reset(contextOf(req, 'account'), token, password);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return res.status(400).type('html').send(resetPage({ token, csrfToken: res.locals.csrfToken, login: user.email ?? user.username, errors: err.fields }));
      }
      res.type('html').send(resetDonePage());
    } catch (err) {
      if (!(err instanceof ResetLinkError)) throw err;
      res.status(err.status).type('html').send(resetLinkProblemPage(err.title, err.message));
    }
  });

  return router;
}
