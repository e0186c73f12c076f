// The invitations list's actions: resend, cancel, edit, delete, each one service call.
// The service decides what each status allows and answers with a domain error
// otherwise; here a refusal goes back to the list (or beside the edit form's field), and
// success returns to the list the admin came from (its filters kept in the `back` field).
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError, Forbidden, NotFound, ValidationError, type FieldErrors } from '../../../errors.js';
import { AlreadyHasAccount } from '../../../invitations/invitation-errors.js';
import type { InvitationView } from '../../../invitations/invitation-presenter.js';
import { grantableRoles } from '../../../users/role-choices.js';
import { listOf } from '../../form-controls.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { shellState } from '../admin-shell.js';
import { str } from '../admin-form-errors.js';
import { confirmBody, editBody, editValuesOf, newLinkBody, type EditState, type EditValues } from './action-views.js';
import { backQuery, HERE, listQueryOf, listUrl, type ListQuery } from './invitation-format.js';
import { sendList } from './list-routes.js';

const REFUSED: Record<'edit' | 'cancel' | 'delete', (i: InvitationView) => string> = {
  edit: (i) => `Only pending or expired invitations can be edited; the invitation to ${i.email} is ${i.status}.`,
  cancel: (i) => (i.status === 'expired' ? `The invitation to ${i.email} has already expired; delete it or resend it.` : `Only pending invitations can be cancelled; the invitation to ${i.email} is ${i.status}.`),
  delete: (i) => `Cancel the pending invitation to ${i.email} before deleting it.`,
};

function editValuesFrom(body: Record<string, unknown> | undefined): EditValues {
  return { email: str(body?.email), deliveryEmail: str(body?.deliveryEmail), givenName: str(body?.givenName), familyName: str(body?.familyName), kind: str(body?.kind) || 'user', roles: listOf(body?.roles) };
}

/** Where an edit refusal is shown: beside its field, or above the form. */
function editRefusal(err: unknown): { status: number; errors: FieldErrors; formError?: string } {
  if (err instanceof ValidationError) return { status: 400, errors: err.fields };
  if (err instanceof AlreadyHasAccount) return { status: err.status, errors: { email: err.message } };
  if (err instanceof Forbidden) return { status: err.status, errors: { roles: err.message } };
  if (err instanceof DomainError && err.expose && !(err instanceof NotFound)) return { status: err.status, errors: {}, formError: err.message };
  throw err;
}

export function actionRoutes(services: Services): Router {
  const router = Router();
  const { invitations } = services;
  const idOf = (req: Request) => String(req.params.id);

  const page = async (req: Request, res: Response, title: string, body: (csrfToken: string, timeZone: string) => Parameters<typeof adminPage>[2], status = 200) => {
    const shell = await shellState(services, req, res, HERE);
    res.status(status).type('html').send(adminPage(title, shell, body(shell.csrfToken, shell.timeZone)));
  };

  /** A refused action: back to the list with the reason (exposed domain errors only). */
  const refuse = async (req: Request, res: Response, query: ListQuery, err: unknown) => {
    if (!(err instanceof DomainError) || !err.expose || err instanceof NotFound) throw err;
    await sendList(services, req, res, query, { error: err.message }, err.status);
  };

  /** The new shareable link, on this page only: never cached. */
  const showLink = async (req: Request, res: Response, invitation: InvitationView, link: string, query: ListQuery, why: string) => {
    res.set('Cache-Control', 'no-store');
    await page(req, res, 'New shareable link', (_csrf, timeZone) => newLinkBody({ invitation, link, query, why, timeZone }));
  };

  // ---- resend ----------------------------------------------------------------------------

  router.post('/:id/resend', async (req, res) => {
    const query = backQuery(req.body);
    try {
      const { invitation, link } = await invitations.resend(contextOf(req, 'admin'), idOf(req));
      if (link) return await showLink(req, res, invitation, link, query, 'A new link was created.');
      res.redirect(303, listUrl(query, { done: 'resent' }));
    } catch (err) {
      await refuse(req, res, query, err);
    }
  });

  // ---- cancel and delete (confirmed first) -------------------------------------------------

  for (const action of ['cancel', 'delete'] as const) {
    router.get(`/:id/${action}`, async (req, res) => {
      const query = listQueryOf((key) => req.query[key]);
      const invitation = await invitations.get(contextOf(req, 'admin'), idOf(req));
      if (!invitation.actions[action]) return sendList(services, req, res, query, { error: REFUSED[action](invitation) }, 409);
      await page(req, res, action === 'cancel' ? 'Cancel invitation' : 'Delete invitation', (csrfToken, timeZone) => confirmBody({ csrfToken, invitation, query, action, timeZone }));
    });

    router.post(`/:id/${action}`, async (req, res) => {
      const query = backQuery(req.body);
      try {
        const ctx = contextOf(req, 'admin');
        if (action === 'cancel') await invitations.cancel(ctx, idOf(req));
        else await invitations.remove(ctx, idOf(req));
        res.redirect(303, listUrl(query, { done: action === 'cancel' ? 'cancelled' : 'deleted' }));
      } catch (err) {
        await refuse(req, res, query, err);
      }
    });
  }

  // ---- edit --------------------------------------------------------------------------------

  const editPage = async (req: Request, res: Response, state: Omit<EditState, 'csrfToken' | 'roles'>, status = 200) => {
    const grantable = await grantableRoles(services.models, req.actor!);
    const offered = new Set(grantable.map((r) => r.id));
    // Roles the invitation has but the editor may not give stay visible (and are refused if kept).
    const roles = [...grantable.map((r) => ({ value: r.id, label: r.name })), ...state.invitation.roles.filter((r) => !offered.has(r.id)).map((r) => ({ value: r.id, label: `${r.name} (you cannot give this role)` }))];
    await page(req, res, 'Edit invitation', (csrfToken) => editBody({ ...state, csrfToken, roles }), status);
  };

  router.get('/:id/edit', async (req, res) => {
    const query = listQueryOf((key) => req.query[key]);
    const invitation = await invitations.get(contextOf(req, 'admin'), idOf(req));
    if (!invitation.actions.edit) return sendList(services, req, res, query, { error: REFUSED.edit(invitation) }, 409);
    await editPage(req, res, { invitation, query, values: editValuesOf(invitation), errors: {} });
  });

  router.post('/:id/edit', async (req, res) => {
    const query = backQuery(req.body);
    const values = editValuesFrom(req.body);
    const ctx = contextOf(req, 'admin');
    try {
      const { invitation, link } = await invitations.edit(ctx, idOf(req), {
        email: values.email,
        deliveryEmail: values.deliveryEmail || null,
        givenName: values.givenName || null,
        familyName: values.familyName || null,
        roleIds: values.roles,
        kind: values.kind,
      });
      if (link) return await showLink(req, res, invitation, link, query, 'The invitation was saved and a new link created for the new address.');
      res.redirect(303, listUrl(query, { done: 'edited' }));
    } catch (err) {
      const { status, errors, formError } = editRefusal(err);
      const invitation = await invitations.get(ctx, idOf(req));
      await editPage(req, res, { invitation, query, values, errors, formError }, status);
    }
  });

  return router;
}
