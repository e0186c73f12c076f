// /admin: the admin shell. Each page authorizes its own permission.
import { Router } from 'express';
import type { Services } from '../../services.js';
import { html } from '../../html.js';
import { adminPage } from './admin-layout.js';
import { permit, shellState } from './admin-shell.js';
import { upstreamAdminRoutes } from './upstream/upstream-routes.js';
import { scimTokenAdminRoutes } from './scim-tokens/scim-tokens-routes.js';
import { roleRoutes } from './roles/role-routes.js';
import { seatRoutes } from './seats/seat-routes.js';
import { clientRoutes } from './clients/client-routes.js';
import { settingsRoutes } from './settings/settings-routes.js';
import { auditRoutes } from './audit/audit-routes.js';
import { usersRoutes } from './users/users-routes.js';
import { directoryAdminRoutes } from './directory/directory-routes.js';
import { invitationAdminRoutes } from './invitations/invitations-routes.js';
import { forbiddenInsideConsole } from './forbidden-page.js';
import { seatWarningBox } from './seats/seat-notices.js';

export function adminRoutes(services: Services): Router {
  const router = Router();
  router.use('/upstream', upstreamAdminRoutes(services));
  router.use('/scim-tokens', scimTokenAdminRoutes(services));
  router.use('/roles', roleRoutes(services));
  router.use('/seats', seatRoutes(services));
  router.use('/clients', clientRoutes(services));
  router.use('/settings', settingsRoutes(services));
  router.use('/audit', auditRoutes(services));
  router.use('/users', usersRoutes(services));
  router.use('/directory', directoryAdminRoutes(services));
  router.use('/invitations', invitationAdminRoutes(services));

  router.get('/', permit('users.view'), async (req, res) => {
    const pools = await services.seats.allUsage();
    const shell = await shellState(services, req, res, '/admin');
    res.type('html').send(
      adminPage(
        'Overview',
        shell,
        html`<h1>Overview</h1>
<table><thead><tr><th>Seat pool</th><th>In use</th><th>Limit</th></tr></thead><tbody>
${pools.map((p) => html`<tr><td>${p.pool}</td><td>${p.used}</td><td>${p.limit ?? 'unlimited'}</td></tr>`)}
</tbody></table>
${pools.map(seatWarningBox)}`,
      ),
    );
  });

  router.use(forbiddenInsideConsole(services));
  return router;
}
