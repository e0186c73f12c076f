// /admin/users: the users list, "Add user" and each account's page. Mounted
// with one line in admin-routes.ts; the public reactivation page lives in
// src/web/reactivation/ (it needs no admin session).
import { Router } from 'express';
import type { Services } from '../../../services.js';
import { listRoutes } from './list-routes.js';
import { addRoutes } from './add-routes.js';
import { detailRoutes } from './detail-routes.js';
import { bulkRoutes } from './bulk-routes.js';

export function usersRoutes(services: Services): Router {
  const router = Router();
  router.use(listRoutes(services));
  router.use('/new', addRoutes(services));
  router.use('/bulk', bulkRoutes(services));
  router.use(detailRoutes(services));
  return router;
}
