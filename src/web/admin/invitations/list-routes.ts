// GET /admin/invitations: the query string (status, archived, page) read through
// listQueryOf — the users list's Pending/Expired rows link here with ?status=pending and
// ?status=expired — then one InvitationService.list call.
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Services } from '../../../services.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { shellState } from '../admin-shell.js';
import { HERE, listQueryOf, PAGE_SIZE, type ListQuery } from './invitation-format.js';
import { invitationListBody } from './list-view.js';

const NOTICES: Record<string, string> = {
  resent: 'Invitation sent again with a fresh expiry; the old link no longer works.',
  cancelled: 'Invitation cancelled; its link no longer works.',
  deleted: 'Invitation deleted.',
  edited: 'Invitation saved.',
};

/** Renders the list for `query`, with a notice or an error (an action the list refused). */
export async function sendList(services: Services, req: Request, res: Response, query: ListQuery, extra: { notice?: string; error?: string } = {}, status = 200): Promise<void> {
  const [{ items, total }, pools, shell] = await Promise.all([
    services.invitations.list(contextOf(req, 'admin'), { status: query.status, includeArchived: query.archived, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
    services.seats.allUsage(),
    shellState(services, req, res, HERE),
  ]);
  res.status(status).type('html').send(adminPage('Invitations', shell, invitationListBody({ csrfToken: shell.csrfToken, timeZone: shell.timeZone, query, items, total, pools, ...extra })));
}

export function listRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = listQueryOf((key) => req.query[key]);
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    await sendList(services, req, res, query, { notice });
  });
  return router;
}
