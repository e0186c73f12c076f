// /account: the signed-in user's own page — profile (name, phone), password change, TOTP
// enrolment and recovery codes, passkeys (passkey-routes.ts). Services decide; these routes translate forms.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import { contextOf } from '../request-context.js';
import { SESSION_COOKIE } from '../session/session-routes.js';
import { readCookie } from '../cookies.js';
import { DomainError, ValidationError } from '../../errors.js';
import { raw } from '../../html.js';
import { composePhone } from '../../users/user-validation.js';
import { TooManyPhoneCodes } from '../../phones/phone-codes.js';
import { parsePhone } from '../../phones/phone-number.js';
import { verifyPassword } from '../../passwords/password-hasher.js';
import { accountPage, totpSetupPage, recoveryCodesShownPage, type AccountPageRenderer } from './account-pages.js';
import { passkeyAccountRoutes } from './passkey-routes.js';

export type { AccountPageRenderer } from './account-pages.js';

/** oidc-provider's own session cookie (its default name): marks this browser's sign-in. */
const PROVIDER_SESSION_COOKIE = '_session';

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

export function accountRoutes(services: Services): Router {
  const router = Router();

  const render: AccountPageRenderer = async (req, res, extra = {}, status = 200) => {
    const user = await services.users.get(req.user!.id);
    const [roles, sessions, providerSessions, apps, passkeys, passkeyPolicy, timeZone] = await Promise.all([
      Promise.all(user.roles.map(async (r) => ({ name: r.name, permissions: [...(await services.roles.get(r.id)).permissions].sort() }))),
      services.ownSessions.sessions(user.id, req.sessionIdHash ?? null),
      services.ownProviderSessions.list(user.id, readCookie(req, PROVIDER_SESSION_COOKIE) ?? null),
      services.ownSessions.connectedApps(user.id),
      services.passkeys.list(user.id),
      services.passkeys.policyFor(user.id),
      services.settings.get('timeZone'),
    ]);
    res.status(status).type('html').send(accountPage({ user, csrfToken: res.locals.csrfToken, isAdmin: req.actor!.permissions.size > 0, roles, sessions, providerSessions, apps, passkeys, passkeyPolicy, timeZone, ...extra }));
  };

  router.use(passkeyAccountRoutes(services, render));

  router.post('/sessions/end', async (req, res) => {
    const ended = await services.ownSessions.endSession(contextOf(req, 'account'), req.user!.id, str(req.body?.ref));
    res.redirect(303, `/account?done=${ended ? 'session' : 'nothing'}`);
  });

  router.post('/provider-sessions/end', async (req, res) => {
    const ended = await services.ownProviderSessions.end(contextOf(req, 'account'), req.user!.id, str(req.body?.ref));
    res.redirect(303, `/account?done=${ended ? 'provider-session' : 'nothing'}`);
  });

  router.post('/apps/revoke', async (req, res) => {
    const revoked = await services.ownSessions.revokeApp(contextOf(req, 'account'), req.user!.id, str(req.body?.grant));
    res.redirect(303, `/account?done=${revoked ? 'app' : 'nothing'}`);
  });

  router.get('/', (req, res) => render(req, res, { notice: typeof req.query.done === 'string' ? DONE[req.query.done] : undefined }));

  router.post('/profile', async (req, res) => {
    const values = { givenName: str(req.body?.givenName), familyName: str(req.body?.familyName), countryCode: str(req.body?.countryCode), phone: str(req.body?.phone) };
    try {
      await services.users.update(
        contextOf(req, 'account'),
        req.user!.id,
        {
          givenName: values.givenName,
          familyName: values.familyName,
          displayName: [values.givenName, values.familyName].filter(Boolean).join(' ') || null,
          phone: values.phone ? composePhone(values.countryCode, values.phone) : null,
        },
        { origin: 'page' },
      );
      res.redirect(303, '/account?done=profile');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { profileErrors: err.fields, profileValues: values }, 400);
    }
  });

  // Verify or change the phone: a code to the number first, then the code stores it.
  const phoneForm = (req: Request) => ({ countryCode: str(req.body?.phoneCountry), number: str(req.body?.phoneNumber) });
  const NOT_A_NUMBER = 'Enter a mobile number that exists, with its country code, such as +44 7700 900123.';

  router.post('/phone/code', async (req, res) => {
    const form = phoneForm(req);
    const phone = parsePhone(form.countryCode, form.number);
    if (!phone) return render(req, res, { phoneForm: { ...form, errors: { phone: NOT_A_NUMBER } } }, 400);
    try {
      await services.accountPhone.sendCode(contextOf(req, 'account'), req.user!.id, phone);
      await render(req, res, { phoneForm: { ...form, sentTo: phone.e164 } });
    } catch (err) {
      if (err instanceof TooManyPhoneCodes) return render(req, res, { phoneForm: { ...form, message: err.message } }, 429);
      if (err instanceof ValidationError) return render(req, res, { phoneForm: { ...form, errors: err.fields } }, 400);
      throw err;
    }
  });

  router.post('/phone/verify', async (req, res) => {
    const form = phoneForm(req);
    const phone = parsePhone(form.countryCode, form.number);
    if (!phone) return render(req, res, { phoneForm: { ...form, errors: { phone: NOT_A_NUMBER } } }, 400);
    try {
      await services.accountPhone.verify(contextOf(req, 'account'), req.user!.id, phone, str(req.body?.phoneCode));
      res.redirect(303, '/account?done=phone');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await render(req, res, { phoneForm: { ...form, sentTo: phone.e164, errors: err.fields } }, 400);
    }
  });

  router.post('/password', async (req, res) => {
    const current = typeof req.body?.currentPassword === 'string' ? req.body.currentPassword : '';
    const next = typeof req.body?.newPassword === 'string' ? req.body.newPassword : '';
    const errors: Record<string, string> = {};
    const hash = await services.users.passwordHashOf(req.user!.id);
    if (hash && !(await verifyPassword(hash, current))) errors.currentPassword = 'Your current password is not right.';
    if (next !== req.body?.newPasswordConfirmation) errors.newPasswordConfirmation = 'The two new passwords are not the same.';
    try {
      if (Object.keys(errors).length) throw new ValidationError(errors);
      await services.users.setPassword(contextOf(req, 'account'), req.user!.id, next);
      // The change ended every session, this one too: this browser gets a fresh one, the
      // others (perhaps someone who knew the old password) stay signed out.
      const token = await services.webSessions.create(req.user!.id, req.sessionIdToken ?? null, { userAgent: req.get('user-agent'), ip: req.ip });
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
      res.redirect(303, '/account?done=password');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const fields = { ...errors, ...err.fields };
      if (fields.password) fields.newPassword = fields.password;
      await render(req, res, { passwordErrors: fields }, 400);
    }
  });

  router.post('/totp/start', async (req, res) => {
    const enrolment = await services.totp.startEnrolment(req.user!.id);
    res.type('html').send(totpSetupPage({ csrfToken: res.locals.csrfToken, qrSvg: raw(enrolment.qrSvg), secret: enrolment.secret }));
  });

  router.post('/totp/confirm', async (req, res) => {
    try {
      const codes = await services.totp.confirmEnrolment(contextOf(req, 'account'), req.user!.id, str(req.body?.code));
      res.type('html').send(recoveryCodesShownPage({ codes }));
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      const enrolment = await services.totp.pendingEnrolment(req.user!.id);
      if (!enrolment) return res.redirect(303, '/account');
      const message = err instanceof ValidationError ? (err.fields.code ?? err.message) : err.message;
      res.status(400).type('html').send(totpSetupPage({ csrfToken: res.locals.csrfToken, qrSvg: raw(enrolment.qrSvg), secret: enrolment.secret, error: message }));
    }
  });

  router.post('/totp/disable', async (req, res) => {
    const method = await services.totp.verify(contextOf(req, 'account'), req.user!.id, str(req.body?.code));
    if (!method) return render(req, res, { totpError: 'Enter a current code (or a recovery code) to turn two-step verification off.' }, 400);
    if (await services.totp.requiredFor(req.user!.id)) return render(req, res, { totpError: 'Your organization requires two-step verification for your account.' }, 400);
    await services.totp.disable(contextOf(req, 'account'), req.user!.id);
    res.redirect(303, '/account?done=totp-off');
  });

  return router;
}

const DONE: Record<string, string> = {
  profile: 'Your profile is saved.',
  phone: 'Your phone number is verified.',
  welcome: 'Welcome! Your account is ready. Below are your roles, your profile and how to keep the account safe.',
  session: 'That session is signed out.',
  'provider-session': 'That sign-in is ended: applications ask you to sign in again, and their access through it has ended.',
  app: 'The application no longer has access to your account; it must ask again next time.',
  nothing: 'That was already gone.',
  password: 'Your password is changed. Every other session of yours was signed out.',
  'totp-off': 'Two-step verification is off.',
  'passkey-added': 'Your passkey is added. Use "Sign in with a passkey" next time.',
  'passkey-removed': 'That passkey is removed: it no longer signs you in.',
};
