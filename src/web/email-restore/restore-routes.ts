// /email/restore?token=…: translates the "it wasn't me" link to EmailRestoreLinks.
import { Router } from 'express';
import type { Services } from '../../services.js';
import { EMAIL_RESTORE_PATH } from '../../users/email-changes.js';
import { RestoreLinkError } from '../../users/email-restore-links.js';
import { contextOf } from '../request-context.js';
import { restoredPage, restorePage, restoreProblemPage } from './restore-page.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function emailRestoreRoutes(services: Services): Router {
  const router = Router();

  router.get(EMAIL_RESTORE_PATH, async (req, res) => {
    const token = str(req.query.token);
    try {
      const preview = await services.emailRestoreLinks.check(token);
      res.set('Referrer-Policy', 'no-referrer').type('html').send(restorePage({ ...preview, token, csrfToken: res.locals.csrfToken }));
    } catch (err) {
      if (!(err instanceof RestoreLinkError)) throw err;
      res.status(err.status).type('html').send(restoreProblemPage(err.title, err.message));
    }
  });

  router.post(EMAIL_RESTORE_PATH, async (req, res) => {
    try {
      const restored = await services.emailRestoreLinks.follow(contextOf(req, 'account'), str(req.body?.token));
      res.type('html').send(restoredPage(restored));
    } catch (err) {
      if (!(err instanceof RestoreLinkError)) throw err;
      res.status(err.status).type('html').send(restoreProblemPage(err.title, err.message));
    }
  });

  return router;
}
