// /admin/users/:id: the account's page (users.view) and its actions (users.manage; the
// ownership transfer is the owner's). Each action is offered only when the account's
// status allows it (src/users/user-actions.ts); the routes refuse the rest, and the
// services check permissions and transitions again.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import type { Context } from '../../../context.js';
import { DomainError, InvalidTransition, ValidationError } from '../../../errors.js';
import { can } from '../../../roles/authorize.js';
import { allRoleOptions, canGrant } from '../../../users/role-choices.js';
import { noWayToSignIn } from '../../../users/sign-in-readiness.js';
import type { ProfileInput } from '../../../users/user-input.js';
import type { UserView } from '../../../users/user-presenter.js';
import { listOf } from '../../form-controls.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, str } from '../admin-form-errors.js';
import { phoneOf } from './add-routes.js';
import { accessEnded } from '../../../users/access-ends.js';
import { parseZonedDateTime } from '../../../zoned-time.js';
import { EXTEND_DAYS } from './access-end-view.js';
import { accountGate, gateRefusal } from './account-gate.js';
import { runAccountForm } from './row-operations.js';
import { FORM_ACTION, profileValuesOf, userDetailBody, type DetailForm, type ProfileValues, type UserDetailState } from './detail-view.js';

const NOTICES: Record<string, string> = {
  'passkey-removed': 'Passkey removed: they were signed out everywhere and their address was told.',
  profile: 'Profile saved.',
  roles: 'Roles saved.',
  deactivated: 'Deactivated: they were signed out everywhere and cannot sign in.',
  reactivated: 'Reactivated: the account is active again.',
  link: 'Reactivation link sent; it is valid for 72 hours. The account becomes active when they follow it.',
  confirmed: 'Account confirmed.',
  confirmation: 'Confirmation email sent.',
  owner: 'Ownership transferred.',
  'signed-out': 'Signed out everywhere: every session and application token of theirs has ended. The account stays active.',
  'access-end': 'Access end date saved.',
  'access-end-extended': `Access extended by ${EXTEND_DAYS} days.`,
  'access-end-cleared': 'End date cleared: access lasts until someone deactivates the account.',
  'second-factor': 'Two-step verification reset: they were signed out everywhere and can set it up again after signing in with their password.',
};


const PROFILE_TEXT = ['givenName', 'familyName', 'username', 'email', 'gender', 'birthdate', 'department', 'title', 'kind'] as const;

function profileValuesFrom(body: Record<string, unknown> | undefined): ProfileValues {
  const b = body ?? {};
  return {
    givenName: str(b.givenName), familyName: str(b.familyName), username: str(b.username), email: str(b.email), countryCode: str(b.countryCode),
    phone: str(b.phone), gender: str(b.gender), birthdate: str(b.birthdate), department: str(b.department), title: str(b.title), kind: str(b.kind),
  };
}

/** Only what the admin changed: untouched directory values (a UPN username, a phone as sent) stay as they are. */
function profileChanges(user: UserView, v: ProfileValues): ProfileInput {
  const current = profileValuesOf(user);
  const input: ProfileInput = {};
  for (const key of PROFILE_TEXT) if (v[key] !== current[key]) input[key] = v[key];
  if (v.countryCode !== '' || v.phone !== current.phone) input.phone = phoneOf(v.countryCode, v.phone);
  return input;
}

/** The page's warning when the account has no way to sign in yet (only asked of accounts without an address). */
async function signInWarningOf(services: Services, user: UserView): Promise<string | null> {
  if (user.email) return null;
  const [mode, linked] = await Promise.all([services.settings.get('provisionedCredentialMode'), services.models.UpstreamIdentity.count({ where: { userId: user.id } })]);
  return noWayToSignIn(user, mode, linked > 0);
}

export function detailRoutes(services: Services): Router {
  const router = Router();

  /** The end date typed in the organization's time zone; `reactivating` says what to do instead. */
  const typedEndDate = async (req: Request, reactivating: boolean): Promise<Date> => {
    const text = str(req.body?.accessEndsAt);
    if (!text) throw new ValidationError({ accessEndsAt: reactivating ? 'Give a new end date, or tick "No end date", to reactivate.' : 'Give a date and time, or clear the end date.' });
    const at = parseZonedDateTime(text, await services.settings.get('timeZone'));
    if (!at) throw new ValidationError({ accessEndsAt: 'Give a date and time such as 2030-12-31 17:00.' });
    return at;
  };

  const load = (req: Request) => accountGate(services, { actor: req.actor!, userId: req.user!.id }, String(req.params.id));

  const render = async (req: Request, res: Response, extra: Partial<UserDetailState> = {}, status = 200) => {
    const ctx = contextOf(req, 'admin');
    const { user, isOwner, actions, outranksViewer } = await load(req);
    const held = new Set(user.roles.map((r) => r.id));
    const [roleOptions, lifecycle, events, shell, signInWarning, rolePermissions, passkeys] = await Promise.all([
      actions.changeRoles ? allRoleOptions(services.models).then((all) => all.filter((r) => held.has(r.id) || canGrant(req.actor!, r))) : Promise.resolve([]),
      services.userHistory.lifecycle(ctx, user.id),
      can(req.actor!, 'audit.view') ? services.userHistory.recentEvents(ctx, user.id) : Promise.resolve(null),
      shellState(services, req, res, '/admin/users'),
      signInWarningOf(services, user),
      Promise.all(user.roles.map(async (r) => [r.id, [...(await services.roles.get(r.id)).permissions].sort()] as const)).then(Object.fromEntries),
      services.passkeys.list(user.id),
    ]);
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    const timeZone = shell.timeZone;
    const body = userDetailBody({ csrfToken: shell.csrfToken, user, isOwner, actions, outranksViewer, roleOptions, lifecycle, events, notice, signInWarning, rolePermissions, passkeys, timeZone, accessEnded: accessEnded(user, services.clock.now()), ...extra });
    res.status(status).type('html').send(adminPage(user.name, shell, body));
  };

  router.get('/:id', permit('users.view'), (req, res) => render(req, res));

  /**
   * One action: refused unless the account's status and the viewer allow it; a refusal
   * goes back to the page beside its form, a success redirects with a notice.
   */
  const act = (form: DetailForm, run: (ctx: Context, user: UserView, req: Request) => Promise<string>) =>
    router.post(`/:id/${form}`, form === 'transfer-ownership' ? (_req, _res, next) => next() : permit('users.manage'), async (req, res) => {
      const values = { ...(req.body ?? {}), roles: listOf(req.body?.roles) } as Record<string, unknown>;
      try {
        const gate = await load(req);
        const { user, allowed } = gate;
        if (!allowed[FORM_ACTION[form]]) throw new InvalidTransition(gateRefusal(form, gate));
        const done = await run(contextOf(req, 'admin'), user, req);
        res.redirect(303, done.startsWith('/') ? done : `/admin/users/${user.id}?done=${done}`);
      } catch (err) {
        // A role the viewer may not give is refused beside the roles; the rest above the form.
        const { status, fields } = refusalOf(err, form === 'roles' ? 'roles' : '_form');
        await render(req, res, { refused: { form, errors: fields, values: form === 'profile' ? profileValuesFrom(req.body) : values } }, status);
      }
    });

  act('profile', async (ctx, user, req) => {
    const changes = profileChanges(user, profileValuesFrom(req.body));
    if (Object.keys(changes).length) await services.users.update(ctx, user.id, changes, { origin: 'page' });
    return 'profile';
  });

  act('roles', async (ctx, user, req) => {
    await services.roles.setUserRoles(ctx, user.id, listOf(req.body?.roles), str(req.body?.reason) || null);
    return 'roles';
  });

  // The status actions run as the users list's row actions do (row-operations.ts).
  for (const [form, done] of [['deactivate', 'deactivated'], ['reactivation-link', 'link'], ['confirm', 'confirmed'], ['confirmation', 'confirmation']] as const) {
    act(form, async (_ctx, user, req) => {
      await runAccountForm(services, req, form, user.id, { reason: str(req.body?.reason) || null });
      return done;
    });
  }

  act('reactivate', async (ctx, user, req) => {
    if (!accessEnded(user, services.clock.now())) await services.users.reactivate(ctx, user.id);
    else await services.accessEnds.reactivateWith(ctx, user.id, req.body?.clearAccessEnd === 'on' ? null : await typedEndDate(req, true));
    return 'reactivated';
  });

  act('access-end', async (ctx, user, req) => {
    const intent = str(req.body?.intent);
    if (intent === 'clear') {
      await services.accessEnds.set(ctx, user.id, null);
      return 'access-end-cleared';
    }
    if (intent === 'extend' && user.accessEndsAt) {
      const from = Math.max(user.accessEndsAt.getTime(), services.clock.now().getTime());
      await services.accessEnds.set(ctx, user.id, new Date(from + EXTEND_DAYS * 86_400_000));
      return 'access-end-extended';
    }
    await services.accessEnds.set(ctx, user.id, await typedEndDate(req, false));
    return 'access-end';
  });


  act('transfer-ownership', async (ctx, user) => {
    await services.roles.transferOwnership(ctx, user.id);
    return 'owner';
  });

  act('second-factor', async (ctx, user) => {
    await services.totp.resetByAdmin(ctx, user.id);
    return 'second-factor';
  });

  // Removing someone's passkey: the service applies the dominance rule and tells them.
  router.post('/:id/passkeys/:passkeyId/remove', permit('users.manage'), async (req, res) => {
    try {
      await services.passkeys.remove(contextOf(req, 'admin'), String(req.params.id), String(req.params.passkeyId));
      res.redirect(303, `/admin/users/${String(req.params.id)}?done=passkey-removed`);
    } catch (err) {
      if (!(err instanceof DomainError) || !err.expose) throw err;
      await render(req, res, { notice: err.message }, err.status);
    }
  });

  act('sign-out-everywhere', async (ctx, user) => {
    await services.signOutEverywhere.signOut(ctx, user.id);
    return 'signed-out';
  });

  act('delete', async (_ctx, user, req) => {
    const typed = str(req.body?.confirmUsername);
    if (typed.toLowerCase() !== user.username.toLowerCase()) throw new ValidationError({ confirmUsername: `Type the username ${user.username} exactly to confirm.` });
    await runAccountForm(services, req, 'delete', user.id);
    return '/admin/users?done=deleted';
  });

  return router;
}
