// /reactivate?token=…: translates the reactivation link to ReactivationLinks.check/follow.
// A full seat pool refuses the reactivation and the page says so; the link stays usable.
import { Router } from 'express';
import { SeatLimitReached } from '../../errors.js';
import type { Services } from '../../services.js';
import { REACTIVATE_PATH, ReactivationLinkError } from '../../users/reactivation-links.js';
import { contextOf } from '../request-context.js';
import { reactivatedPage, reactivatePage, reactivationProblemPage } from './reactivate-page.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function reactivationRoutes(services: Services): Router {
  const router = Router();

  router.get(REACTIVATE_PATH, async (req, res) => {
    const token = str(req.query.token);
    try {
      const account = await services.reactivationLinks.check(token);
      res.set('Referrer-Policy', 'no-referrer').type('html').send(reactivatePage({ token, csrfToken: res.locals.csrfToken, ...account }));
    } catch (err) {
      if (!(err instanceof ReactivationLinkError)) throw err;
      res.status(err.status).type('html').send(reactivationProblemPage(err.title, err.message));
    }
  });

  router.post(REACTIVATE_PATH, async (req, res) => {
    try {
      const user = await services.reactivationLinks.follow(contextOf(req, 'account'), str(req.body?.token));
      res.type('html').send(reactivatedPage(user.username));
    } catch (err) {
      if (err instanceof ReactivationLinkError) return res.status(err.status).type('html').send(reactivationProblemPage(err.title, err.message));
      if (err instanceof SeatLimitReached) {
        return res
          .status(err.status)
          .type('html')
          .send(reactivationProblemPage('No seat is free right now', `${err.message}. Your link still works: ask your administrator to free a seat, then open it again.`));
      }
      throw err;
    }
  });

  return router;
}
