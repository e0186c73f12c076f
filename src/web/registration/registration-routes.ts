// /register, /register/confirm, /register/resend: translate the forms to
// RegistrationService and EmailConfirmations, and errors back to the forms. /register is
// 404 while registration is off; confirm and resend always work (admin-added unconfirmed
// accounts and shareable-link invitations confirm through them too).
import { Router, type NextFunction, type Request, type Response } from 'express';
import { NotFound, ValidationError } from '../../errors.js';
import { ConfirmationLinkError } from '../../registration/email-confirmations.js';
import type { Services } from '../../services.js';
import { contextOf } from '../request-context.js';
import { checkEmailPage, noSeatsPage, confirmationProblemPage, confirmedPage, confirmPage, registerPage, resendPage } from './registration-page.js';
import { addressOf } from '../../users/user-presenter.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function registrationRoutes(services: Services): Router {
  const router = Router();

  router.get('/register', async (_req, res, next: NextFunction) => {
    const policy = await services.registration.policy();
    if (!policy.open) return next(new NotFound('There is no page at this address.'));
    const organizationName = await services.settings.get('organizationName');
    res.type('html').send(registerPage({ organizationName, csrfToken: res.locals.csrfToken, domains: policy.domains }));
  });

  router.post('/register', async (req: Request, res: Response, next: NextFunction) => {
    const policy = await services.registration.policy();
    if (!policy.open) return next(new NotFound('There is no page at this address.'));
    const organizationName = await services.settings.get('organizationName');
    const values = { name: str(req.body?.name).trim(), email: str(req.body?.email).trim() };
    try {
      const answer = await services.registration.register(contextOf(req, 'registration'), { ...values, password: str(req.body?.password), passwordConfirmation: str(req.body?.passwordConfirmation) });
      res.type('html').send(answer === 'no_seats' ? noSeatsPage(organizationName) : checkEmailPage(organizationName));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400).type('html').send(registerPage({ organizationName, csrfToken: res.locals.csrfToken, domains: policy.domains, values, errors: err.fields }));
    }
  });

  router.get('/register/confirm', async (req, res) => {
    const token = str(req.query.token);
    try {
      await services.emailConfirmations.check(token);
    } catch (err) {
      if (!(err instanceof ConfirmationLinkError)) throw err;
      return res.status(err.status).type('html').send(confirmationProblemPage(err.title, err.message));
    }
    // A button, not a confirmation on GET: mail scanners open links, and an address
    // someone else registered must not be confirmed without its owner's click.
    res.type('html').send(confirmPage(token, res.locals.csrfToken));
  });

  router.post('/register/confirm', async (req, res) => {
    try {
      const user = await services.emailConfirmations.confirm(contextOf(req, 'registration'), str(req.body?.token));
      res.type('html').send(confirmedPage(addressOf(user)));
    } catch (err) {
      if (!(err instanceof ConfirmationLinkError)) throw err;
      res.status(err.status).type('html').send(confirmationProblemPage(err.title, err.message));
    }
  });

  router.get('/register/resend', (_req, res) => {
    res.type('html').send(resendPage(res.locals.csrfToken));
  });

  router.post('/register/resend', async (req, res) => {
    const email = str(req.body?.email).trim();
    try {
      await services.registration.resendConfirmation(contextOf(req, 'registration'), email);
      res.type('html').send(checkEmailPage(await services.settings.get('organizationName')));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400).type('html').send(resendPage(res.locals.csrfToken, { email }, err.fields));
    }
  });

  return router;
}
