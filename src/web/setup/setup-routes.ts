// /setup: translate the form to SetupService calls and errors back to the form.
import { Router, type Request } from 'express';
import { DomainError, ValidationError, Conflict } from '../../errors.js';
import type { Services } from '../../services.js';
import { contextOf } from '../request-context.js';
import { setupClosedPage, setupDonePage, setupPage } from './setup-page.js';
import { addressOf } from '../../users/user-presenter.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function setupRoutes(services: Services): Router {
  const router = Router();

  router.get('/setup', async (req, res) => {
    const token = str(req.query.token);
    try {
      await services.setup.checkToken(token);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      res.status(err.status).type('html').send(setupClosedPage(err.message));
      return;
    }
    res.type('html').send(setupPage({ token, csrfToken: res.locals.csrfToken }));
  });

  router.post('/setup', async (req: Request, res) => {
    const token = str(req.body?.token);
    const values = { name: str(req.body?.name).trim(), email: str(req.body?.email).trim() };
    const password = str(req.body?.password);
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = 'Enter your name.';
    if (password !== str(req.body?.passwordConfirmation)) errors.passwordConfirmation = 'The two passwords are not the same.';
    const form = (extra: { errors?: Record<string, string>; message?: string }) =>
      setupPage({ token, csrfToken: res.locals.csrfToken, values, ...extra });
    try {
      await services.setup.checkToken(token);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const owner = await services.setup.createOwner(contextOf(req, 'setup'), token, values, password);
      res.type('html').send(setupDonePage(addressOf(owner)));
    } catch (err) {
      if (err instanceof ValidationError) {
        res.status(400).type('html').send(form({ errors: { ...errors, ...err.fields } }));
      } else if (err instanceof Conflict && err.field) {
        res.status(409).type('html').send(form({ errors: { ...errors, [err.field]: err.message } }));
      } else if (err instanceof DomainError && err.expose) {
        res.status(err.status).type('html').send(setupClosedPage(err.message));
      } else {
        throw err;
      }
    }
  });

  return router;
}
