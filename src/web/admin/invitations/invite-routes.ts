// /admin/invitations/new: translates the invite form to InvitationService.invite and its
// answer back — a form-level refusal beside the right row's field with every value kept,
// or the per-address outcome page (a shareable link appears there once, never cached).
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError, ValidationError } from '../../../errors.js';
import { grantableRoles } from '../../../users/role-choices.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { shellState } from '../admin-shell.js';
import { emptyRow, MAX_ROWS, rowsFrom, rowsToSend, toFormFields } from './invite-form.js';
import { HERE } from './invitation-format.js';
import { inviteFormBody, inviteResultBody, type InviteFormState } from './invite-view.js';

export function inviteRoutes(services: Services): Router {
  const router = Router();

  /** Roles offered (only those the inviter may give) and the default ones among them. */
  const roleChoices = async (req: Request) => {
    const roles = await grantableRoles(services.models, req.actor!);
    const offered = new Set(roles.map((r) => r.id));
    const defaults = (await services.invitations.defaultRoleIds()).filter((id) => offered.has(id));
    return { roles, defaults };
  };

  const render = async (req: Request, res: Response, state: Omit<InviteFormState, 'csrfToken' | 'roles'>, status = 200) => {
    const [shell, { roles }] = await Promise.all([shellState(services, req, res, HERE), roleChoices(req)]);
    res.status(status).type('html').send(adminPage('Invite people', shell, inviteFormBody({ ...state, csrfToken: shell.csrfToken, roles })));
  };

  router.get('/', async (req, res) => {
    const { defaults } = await roleChoices(req);
    await render(req, res, { rows: [emptyRow(defaults)], errors: {} });
  });

  router.post('/', async (req, res) => {
    const rows = rowsFrom(req.body);
    if (req.body?.action === 'add') {
      // "Add invite": the same form, every value kept, one more row with the default roles.
      if (rows.length < MAX_ROWS) rows.push(emptyRow((await roleChoices(req)).defaults));
      return render(req, res, { rows, errors: {}, focusRow: rows.length - 1 });
    }
    if (!rows.length) rows.push(emptyRow([]));
    const { send, formRow } = rowsToSend(rows);
    try {
      const outcomes = await services.invitations.invite(contextOf(req, 'admin'), send);
      const shell = await shellState(services, req, res, HERE);
      // Shareable links are on this page only: keep it out of every cache.
      res.set('Cache-Control', 'no-store').type('html').send(adminPage('Invitations', shell, inviteResultBody({ outcomes, formRow, timeZone: shell.timeZone })));
    } catch (err) {
      if (err instanceof ValidationError) return render(req, res, { rows, errors: toFormFields(err.fields, formRow) }, 400);
      // A role the inviter may not give (a tampered form): refused as a whole, nothing sent.
      if (err instanceof DomainError && err.expose) return render(req, res, { rows, errors: {}, formError: `${err.message} Nothing was sent.` }, err.status);
      throw err;
    }
  });

  return router;
}
