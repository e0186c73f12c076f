// /admin/invitations, permission users.invite: the invitations list and its
// actions, the invite form (/new) and bulk CSV (/bulk). Mounted with one line in
// admin-routes.ts; the public accept page lives in src/web/invitations/.
import { Router } from 'express';
import type { Services } from '../../../services.js';
import { permit } from '../admin-shell.js';
import { actionRoutes } from './action-routes.js';
import { bulkRoutes } from './bulk-routes.js';
import { inviteRoutes } from './invite-routes.js';
import { listRoutes } from './list-routes.js';

export function invitationAdminRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('users.invite'));
  router.use('/new', inviteRoutes(services));
  router.use('/bulk', bulkRoutes(services));
  router.use(listRoutes(services));
  router.use(actionRoutes(services));
  return router;
}
