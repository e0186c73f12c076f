// /invitations/accept: translates the accept form to InvitationService.check/accept and
// errors back to the form or to the page for an unusable link (adapters translate,
// services decide).
import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../errors.js';
import { TooManyPhoneCodes } from '../../phones/phone-codes.js';
import { parsePhone } from '../../phones/phone-number.js';
import { InvitationLinkError } from '../../invitations/invitation-errors.js';
import { PUBLIC_PATHS } from '../../registration/public-paths.js';
import type { Services } from '../../services.js';
import { addressOf, type UserView } from '../../users/user-presenter.js';
import { composePhone } from '../../users/user-validation.js';
import { contextOf } from '../request-context.js';
import { acceptedPage, acceptPage, invitationProblemPage, type AcceptFormValues } from './accept-page.js';

const NOT_A_NUMBER = 'Enter a mobile number that exists, with its country code, such as +44 7700 900123.';

/**
 * Called once the account exists, to sign the new user in at Gatehouse and land them on
 * their account page. It must send the response (e.g. start a web
 * session and redirect to /account). Without it the route shows a success page.
 */
export type AfterAccept = (req: Request, res: Response, user: UserView) => Promise<void>;

export interface InvitationRouteOptions {
  afterAccept?: AfterAccept;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function invitationRoutes(services: Services, options: InvitationRouteOptions = {}): Router {
  const router = Router();

  const problem = (res: Response, err: InvitationLinkError) => {
    const signIn = err.problem === 'used' || err.problem === 'superseded' ? PUBLIC_PATHS.signIn : null;
    res.status(err.status).type('html').send(invitationProblemPage(err.title, err.message, signIn));
  };

  router.get('/invitations/accept', async (req, res) => {
    const token = str(req.query.token);
    try {
      const preview = await services.invitations.check(token);
      res.type('html').send(acceptPage({ token, csrfToken: res.locals.csrfToken, preview }));
    } catch (err) {
      if (err instanceof InvitationLinkError) return problem(res, err);
      throw err;
    }
  });

  const formValues = (body: Record<string, unknown>): AcceptFormValues => ({
    givenName: str(body.givenName).trim(),
    familyName: str(body.familyName).trim(),
    phoneCountry: str(body.phoneCountry).trim(),
    phoneNumber: str(body.phoneNumber).trim(),
    phoneCode: str(body.phoneCode).trim(),
  });

  // "Send code": the page comes back with the number kept and carried into the accept form.
  router.post('/invitations/accept/phone-code', async (req, res) => {
    const body = req.body ?? {};
    const token = str(body.token);
    const values = formValues(body);
    let preview;
    try {
      preview = await services.invitations.check(token);
    } catch (err) {
      if (err instanceof InvitationLinkError) return problem(res, err);
      throw err;
    }
    const form = (status: number, extra: { errors?: Record<string, string>; message?: string; codeSentTo?: string }) =>
      res.status(status).type('html').send(acceptPage({ token, csrfToken: res.locals.csrfToken, preview, values: { ...values, givenName: preview.givenName, familyName: preview.familyName, phoneCode: '' }, ...extra }));
    const phone = parsePhone(values.phoneCountry ?? '', values.phoneNumber ?? '');
    if (!phone) return form(400, { errors: { phone: NOT_A_NUMBER } });
    try {
      await services.invitations.sendPhoneCode(contextOf(req, 'invitation'), token, phone);
      form(200, { codeSentTo: phone.e164 });
    } catch (err) {
      if (err instanceof TooManyPhoneCodes) return form(429, { message: err.message });
      if (err instanceof ValidationError) return form(400, { errors: err.fields });
      if (err instanceof InvitationLinkError) return problem(res, err);
      throw err;
    }
  });

  router.post('/invitations/accept', async (req, res) => {
    const body = req.body ?? {};
    const token = str(body.token);
    const values = formValues(body);
    const password = str(body.password);
    const errors: Record<string, string> = {};
    if (password !== str(body.passwordConfirmation)) errors.passwordConfirmation = 'The two passwords are not the same.';
    let preview;
    try {
      preview = await services.invitations.check(token);
    } catch (err) {
      if (err instanceof InvitationLinkError) return problem(res, err);
      throw err;
    }
    let phone: string | null = null;
    if (preview.phone === 'verified') {
      phone = parsePhone(values.phoneCountry ?? '', values.phoneNumber ?? '')?.e164 ?? null;
      if (!phone) errors.phone = NOT_A_NUMBER;
    } else if (preview.phone === 'optional' && values.phoneNumber) {
      if (!values.phoneCountry && !values.phoneNumber.startsWith('+')) errors.phoneCountry = 'Enter the country code, such as +44.';
      else phone = composePhone(values.phoneCountry ?? '', values.phoneNumber);
    }
    const form = (status: number, extra: { errors?: Record<string, string>; message?: string }) =>
      res.status(status).type('html').send(acceptPage({ token, csrfToken: res.locals.csrfToken, preview, values, ...extra }));
    try {
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const { user } = await services.invitations.accept(contextOf(req, 'invitation'), token, {
        password,
        givenName: values.givenName || null,
        familyName: values.familyName || null,
        phone,
        phoneCode: values.phoneCode || null,
      });
      if (options.afterAccept) return await options.afterAccept(req, res, user);
      res.type('html').send(acceptedPage({ organizationName: preview.organizationName, email: addressOf(user), emailVerified: user.emailVerified, continueUrl: PUBLIC_PATHS.signIn }));
    } catch (err) {
      if (err instanceof ValidationError) return form(400, { errors: { ...errors, ...err.fields } });
      if (err instanceof InvitationLinkError) return problem(res, err);
      throw err;
    }
  });

  return router;
}
