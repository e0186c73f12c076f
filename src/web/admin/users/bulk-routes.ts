// /admin/users/bulk: an action on the users list's selected rows, or on one row from its
// menu. GET asks first (changes nothing); POST runs each row through the one-row
// operation (row-operations.ts) and reports every row. One row done without anything to
// show goes straight back to the list with a notice.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { html, type SafeHtml } from '../../../html.js';
import { Forbidden } from '../../../errors.js';
import { can } from '../../../roles/authorize.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { str } from '../admin-form-errors.js';
import { bulkConfirmBody, bulkNothingBody, bulkReportBody } from './bulk-view.js';
import { labelOf, rowActionOf, rowRefsOf, runRow, type RowOutcome } from './row-operations.js';
import { USERS_STYLE } from './user-format.js';

/** Only the users list (with its filters) is a place to return to. */
export function safeBack(value: unknown): string {
  return typeof value === 'string' && /^\/admin\/users(\?[A-Za-z0-9%=&._~+-]*)?$/.test(value) ? value : '/admin/users';
}

function withNotice(back: string, done: string): string {
  return `${back}${back.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}`;
}

/** Acting on rows needs one of the permissions their actions need; each row is checked again. */
function mayAct(req: Request, _res: Response, next: () => void): void {
  if (!can(req.actor!, 'users.manage') && !can(req.actor!, 'users.invite')) throw new Forbidden('Only people who may manage users or invite them can act on the list.', 'users.manage');
  next();
}

export function bulkRoutes(services: Services): Router {
  const router = Router();

  const send = async (req: Request, res: Response, title: string, body: SafeHtml, status = 200) => {
    const shell = await shellState(services, req, res, '/admin/users');
    res.status(status).type('html').send(adminPage(title, shell, html`${USERS_STYLE}${body}`));
  };

  router.get('/', permit('users.view'), mayAct, async (req, res) => {
    const back = safeBack(req.query.back);
    const action = rowActionOf(req.query.action);
    // "All on this page" sends the page's rows alongside whatever was ticked.
    const refs = rowRefsOf(req.query.scope === 'page' ? req.query.page : req.query.ids);
    if (!action) return send(req, res, 'Nothing to do', bulkNothingBody(back, 'Choose an action.'), 400);
    if (refs.length === 0) return send(req, res, 'Nothing to do', bulkNothingBody(back, 'Select at least one person on the list first.'), 400);
    const rows = await Promise.all(refs.map(async (ref) => ({ ref, label: await labelOf(services, req, ref) })));
    await send(req, res, 'Confirm', bulkConfirmBody({ csrfToken: res.locals.csrfToken, action, rows, back }));
  });

  router.post('/', permit('users.view'), mayAct, async (req, res) => {
    const back = safeBack(req.body?.back);
    const action = rowActionOf(req.body?.action);
    const refs = rowRefsOf(req.body?.ids);
    if (!action) return send(req, res, 'Nothing to do', bulkNothingBody(back, 'Choose an action.'), 400);
    if (refs.length === 0) return send(req, res, 'Nothing to do', bulkNothingBody(back, 'Select at least one person on the list first.'), 400);
    const reason = str(req.body?.reason) || null;
    // In selection order, one at a time: seats are taken in input order.
    const outcomes: RowOutcome[] = [];
    for (const ref of refs) outcomes.push(await runRow(services, req, action, ref, reason));
    if (outcomes.length === 1 && outcomes[0]!.done && !outcomes[0]!.link) return res.redirect(303, withNotice(back, action));
    if (outcomes.some((o) => o.link)) res.set('Cache-Control', 'no-store');
    await send(req, res, 'Results', bulkReportBody({ action, outcomes, back }));
  });

  return router;
}
