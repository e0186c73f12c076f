// /admin/users/new (users.manage): translates the add-user form to UserOnboarding.add, or —
// "send an invitation instead" (users.invite) — to InvitationService.invite with one row;
// refusals go back beside the fields with the values kept.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError, SeatLimitReached, ValidationError, type FieldErrors } from '../../../errors.js';
import { can } from '../../../roles/authorize.js';
import { grantableRoles } from '../../../users/role-choices.js';
import { composePhone } from '../../../users/user-validation.js';
import { parseZonedDateTime } from '../../../zoned-time.js';
import type { ProfileInput } from '../../../users/user-input.js';
import { listOf } from '../../form-controls.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, str } from '../admin-form-errors.js';
import { seatRefusalBox } from '../seats/seat-notices.js';
import { addedBody, addUserBody, EMPTY_VALUES, invitedBody, type AddUserState, type AddUserValues } from './add-view.js';

/** A form value as typed (passwords are not trimmed). */
function rawStr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function valuesOf(body: Record<string, unknown> | undefined): AddUserValues {
  const b = body ?? {};
  return {
    givenName: str(b.givenName),
    familyName: str(b.familyName),
    username: str(b.username),
    email: str(b.email),
    countryCode: str(b.countryCode),
    phone: str(b.phone),
    gender: str(b.gender),
    birthdate: str(b.birthdate),
    department: str(b.department),
    title: str(b.title),
    kind: str(b.kind) || 'user',
    roles: listOf(b.roles),
    mode: b.mode === 'invite' ? 'invite' : 'create',
    passwordMode: b.passwordMode === 'random' ? 'random' : 'typed',
    confirmed: b.confirmed === 'on',
    sendWelcome: b.sendWelcome === 'on',
    deliveryEmail: str(b.deliveryEmail),
    accessEndsAt: str(b.accessEndsAt),
  };
}

/** "+<country code><number>" from the two phone fields (E.164 is checked by the service). */
export function phoneOf(countryCode: string, number: string): string | null {
  return number ? composePhone(countryCode, number) : null;
}

function profileOf(v: AddUserValues): ProfileInput {
  return {
    givenName: v.givenName,
    familyName: v.familyName,
    username: v.username || null,
    email: v.email,
    phone: phoneOf(v.countryCode, v.phone),
    gender: v.gender,
    birthdate: v.birthdate,
    department: v.department,
    title: v.title,
    kind: v.kind,
  };
}

/** The invitation service names fields per row ("rows.0.addresses"); the form has one row. */
function inviteFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    const name = key.replace(/^rows\.\d+\./, '');
    out[name === 'addresses' ? 'email' : name] = message;
  }
  return out;
}

export function addRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('users.manage'));

  const render = async (req: Request, res: Response, state: Partial<AddUserState>, status = 200) => {
    const shell = await shellState(services, req, res, '/admin/users');
    const roles = await grantableRoles(services.models, req.actor!);
    const body = addUserBody({ csrfToken: shell.csrfToken, values: EMPTY_VALUES, errors: {}, roles, canInvite: can(req.actor!, 'users.invite'), ...state });
    res.status(status).type('html').send(adminPage('Add user', shell, body));
  };

  router.get('/', async (req, res) => {
    // The invitation default role setting pre-selects ("Default Invitation Roles").
    const grantable = new Set((await grantableRoles(services.models, req.actor!)).map((r) => r.id));
    const roles = (await services.invitations.defaultRoleIds()).filter((id) => grantable.has(id));
    await render(req, res, { values: { ...EMPTY_VALUES, roles } });
  });

  router.post('/', async (req, res) => {
    const values = valuesOf(req.body);
    const ctx = contextOf(req, 'admin');
    if (values.mode === 'invite') return invite(req, res, values);
    const input = {
      profile: profileOf(values),
      roleIds: values.roles,
      password: values.passwordMode === 'random' ? null : typeof req.body?.password === 'string' ? req.body.password : '',
      confirmed: values.confirmed,
      sendWelcome: values.sendWelcome,
      accessEndsAt: values.accessEndsAt ? parseZonedDateTime(values.accessEndsAt, await services.settings.get('timeZone')) : null,
    };
    const errors: FieldErrors = {};
    if (values.accessEndsAt && !input.accessEndsAt) errors.accessEndsAt = 'Give a date and time such as 2030-12-31 17:00.';
    if (input.password !== null && input.password !== req.body?.passwordConfirmation) errors.passwordConfirmation = 'The two passwords are not the same.';
    try {
      if (Object.keys(errors).length) throw new ValidationError({ ...(await services.userOnboarding.problems(ctx, input)), ...errors });
      const result = await services.userOnboarding.add(ctx, input);
      const shell = await shellState(services, req, res, '/admin/users');
      // The random password is on this page only: keep it out of every cache.
      res.set('Cache-Control', 'no-store').type('html').send(adminPage('User added', shell, addedBody(result)));
    } catch (err) {
      // Everything typed comes back, the passwords too (the page is never cached): a full
      // pool is fixed on the Seats page, and the form should be ready to send again.
      // A refusal of the password itself clears both fields.
      const typed = { password: rawStr(req.body?.password), confirmation: rawStr(req.body?.passwordConfirmation) };
      res.set('Cache-Control', 'no-store');
      if (err instanceof SeatLimitReached) return render(req, res, { values, typedPassword: typed, formError: seatRefusalBox(err.message) }, err.status);
      const { status, fields } = refusalOf(err, 'roles');
      const typedPassword = fields.password || fields.passwordConfirmation ? undefined : typed;
      await render(req, res, { values, typedPassword, errors: fields }, status);
    }
  });

  const invite = async (req: Request, res: Response, values: AddUserValues) => {
    if (!can(req.actor!, 'users.invite')) return render(req, res, { values: { ...values, mode: 'create' }, formError: 'You need the "users.invite" permission to send invitations.' }, 403);
    try {
      const [outcome] = await services.invitations.invite(contextOf(req, 'admin'), [
        { addresses: values.email, roleIds: values.roles, kind: values.kind, givenName: values.givenName, familyName: values.familyName, deliveryEmail: values.deliveryEmail || null, method: 'email', accessEndsAt: values.accessEndsAt || null },
      ]);
      if (!outcome) throw new ValidationError({ email: 'Enter the email address to invite.' });
      if (outcome.status === 'sent') {
        const shell = await shellState(services, req, res, '/admin/users');
        return res.type('html').send(adminPage('Invitation sent', shell, invitedBody({ email: values.email, deliveredTo: values.deliveryEmail || values.email, expiresAt: outcome.expiresAt })));
      }
      if (outcome.status === 'seat_limit_reached') return render(req, res, { values, formError: seatRefusalBox(outcome.message) }, 403);
      if (outcome.status === 'failed') return render(req, res, { values, formError: outcome.message }, 500);
      return render(req, res, { values, errors: { email: outcome.message } }, 409);
    } catch (err) {
      if (err instanceof ValidationError) return render(req, res, { values, errors: inviteFields(err.fields) }, 400);
      if (err instanceof DomainError && err.expose) return render(req, res, { values, errors: { roles: err.message } }, err.status);
      throw err;
    }
  };

  return router;
}
