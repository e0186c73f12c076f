// /admin/roles (roles.manage): translate the forms to RoleService; it decides (names,
// permission strings, the grant rule, built-ins protected, deletion with reassignment).
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { contextOf } from '../../request-context.js';
import { listOf } from '../../form-controls.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, splitList, str } from '../admin-form-errors.js';
import { newRoleBody, roleDetailBody, roleListBody, type RoleDetailState, type RoleListState } from './role-views.js';

const NOTICES: Record<string, string> = {
  created: 'Role created.',
  renamed: 'Role renamed.',
  permissions: 'Permissions saved.',
  deleted: 'Role deleted.',
};

function noticeOf(req: Request): string | undefined {
  return typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
}

/** The permissions a form sends: catalogue checkboxes plus free strings. */
function permissionsOf(body: Record<string, unknown> | undefined) {
  const catalogue = listOf(body?.permissions);
  const extra = typeof body?.extraPermissions === 'string' ? body.extraPermissions : '';
  return { catalogue, extra, all: [...catalogue, ...splitList(extra)] };
}

export function roleRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('roles.manage'));

  const renderList = async (req: Request, res: Response) => {
    const roles = await services.roles.list();
    const shell = await shellState(services, req, res, '/admin/roles');
    res.type('html').send(adminPage('Roles', shell, roleListBody({ csrfToken: shell.csrfToken, roles, notice: noticeOf(req) })));
  };

  const renderNew = async (req: Request, res: Response, extra: Pick<RoleListState, 'values' | 'errors'> = {}, status = 200) => {
    const shell = await shellState(services, req, res, '/admin/roles');
    res.status(status).type('html').send(adminPage('New role', shell, newRoleBody({ csrfToken: shell.csrfToken, ...extra })));
  };

  const renderDetail = async (req: Request, res: Response, extra: Partial<RoleDetailState> = {}, status = 200) => {
    const role = await services.roles.get(String(req.params.id));
    const others = (await services.roles.list()).filter((r) => r.id !== role.id && r.builtin !== 'owner');
    const shell = await shellState(services, req, res, '/admin/roles');
    res.status(status).type('html').send(adminPage(role.name, shell, roleDetailBody({ csrfToken: shell.csrfToken, role, others, notice: noticeOf(req), ...extra })));
  };

  router.get('/', (req, res) => renderList(req, res));
  router.get('/new', (req, res) => renderNew(req, res));

  router.post('/', async (req, res) => {
    const name = str(req.body?.name);
    const permissions = permissionsOf(req.body);
    try {
      const role = await services.roles.create(contextOf(req, 'admin'), { name, permissions: permissions.all });
      res.redirect(303, `/admin/roles/${role.id}?done=created`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'permissions');
      await renderNew(req, res, { values: { name, ...permissions }, errors: fields }, status);
    }
  });

  router.get('/:id', (req, res) => renderDetail(req, res));

  router.post('/:id/rename', async (req, res) => {
    const name = str(req.body?.name);
    try {
      await services.roles.rename(contextOf(req, 'admin'), String(req.params.id), name);
      res.redirect(303, `/admin/roles/${req.params.id}?done=renamed`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'name');
      await renderDetail(req, res, { renameValue: name, renameErrors: fields }, status);
    }
  });

  router.post('/:id/permissions', async (req, res) => {
    const permissions = permissionsOf(req.body);
    try {
      await services.roles.setPermissions(contextOf(req, 'admin'), String(req.params.id), permissions.all);
      res.redirect(303, `/admin/roles/${req.params.id}?done=permissions`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'permissions');
      await renderDetail(req, res, { permissionValues: permissions, permissionErrors: fields }, status);
    }
  });

  router.post('/:id/delete', async (req, res) => {
    const reassignTo = str(req.body?.reassignTo);
    try {
      await services.roles.delete(contextOf(req, 'admin'), String(req.params.id), { reassignTo: reassignTo || null });
      res.redirect(303, '/admin/roles?done=deleted');
    } catch (err) {
      const { status, fields } = refusalOf(err, 'reassignTo');
      await renderDetail(req, res, { reassignTo, deleteErrors: fields }, status);
    }
  });

  return router;
}
