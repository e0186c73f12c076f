// GET /admin/users (users.view): translates the query string into a DirectoryQuery — only
// known values pass; anything else falls back to the default — and renders the page the
// directory returns, with the seat usage per pool.
import { Router, type Request } from 'express';
import type { Services } from '../../../services.js';
import { can } from '../../../roles/authorize.js';
import { KINDS } from '../../../users/user-model.js';
import { ENDING_WITHIN_DAYS, GROUP_BYS, LIST_STATUSES, PAGE_SIZES, SORT_KEYS, type DirectoryQuery } from '../../../users/user-directory.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { userListBody } from './list-view.js';
import { menuFactsOf, rowMenusOf } from './row-menus.js';

/** After an action on one row (row-operations.ts), keyed by the action. */
export const NOTICES: Record<string, string> = {
  deleted: 'The user was deleted.',
  delete: 'Deleted.',
  deactivate: 'Deactivated: they were signed out everywhere and cannot sign in.',
  resend: 'Sent again.',
  cancel: 'Invitation cancelled: its link no longer works.',
  reactivate: 'Reactivated: the account is active again.',
  'reactivation-link': 'Reactivation link sent; it is valid for 72 hours.',
  confirm: 'Account confirmed.',
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

export function queryOf(req: Request): DirectoryQuery {
  const q = req.query;
  const size = typeof q.size === 'string' ? Number(q.size) : NaN;
  return {
    search: typeof q.q === 'string' ? q.q.slice(0, 200) : null,
    status: oneOf(q.status, LIST_STATUSES),
    roleId: typeof q.role === 'string' && /^[0-9a-f-]{36}$/i.test(q.role) ? q.role : null,
    kind: oneOf(q.kind, KINDS),
    endingWithinDays: (ENDING_WITHIN_DAYS as readonly number[]).includes(Number(q.ends)) ? Number(q.ends) : null,
    groupBy: oneOf(q.group, GROUP_BYS),
    sort: oneOf(q.sort, SORT_KEYS),
    order: oneOf(q.order, ['asc', 'desc'] as const),
    limit: (PAGE_SIZES as readonly number[]).includes(size) ? size : null,
    cursor: typeof q.cursor === 'string' ? q.cursor : null,
  };
}

export function listRoutes(services: Services): Router {
  const router = Router();

  router.get('/', permit('users.view'), async (req, res) => {
    const ctx = contextOf(req, 'admin');
    const [page, pools, roles, shell, menuFacts] = await Promise.all([
      services.userDirectory.page(ctx, queryOf(req)),
      services.seats.allUsage(),
      services.userDirectory.roleChoices(),
      shellState(services, req, res, '/admin/users'),
      menuFactsOf(services),
    ]);
    const menus = rowMenusOf(menuFacts, { actor: req.actor!, userId: req.user!.id }, page.rows);
    const body = userListBody({
      page,
      menus,
      csrfToken: shell.csrfToken,
      pools,
      roles,
      view: req.query.view === 'cards' ? 'cards' : 'list',
      canManage: can(req.actor!, 'users.manage'),
      canInvite: can(req.actor!, 'users.invite'),
      timeZone: shell.timeZone,
      notice: typeof req.query.done === 'string' && Object.hasOwn(NOTICES, req.query.done) ? NOTICES[req.query.done] : undefined,
    });
    res.type('html').send(adminPage('Users', shell, body));
  });

  return router;
}
