// /admin: the admin shell. Each page authorizes its own permission.
import { Router } from 'express';
import type { Services } from '../../services.js';
import { html } from '../../html.js';
import { adminPage } from './admin-layout.js';
import { permit, shellState } from './admin-shell.js';

export function adminRoutes(services: Services): Router {
  const router = Router();

  router.get('/', permit('users.view'), async (req, res) => {
    const pools = await services.seats.allUsage();
    const shell = await shellState(services, req, res, '/admin');
    res.type('html').send(
      adminPage(
        'Overview',
        shell,
        html`<h1>Overview</h1>
<table><thead><tr><th>Seat pool</th><th>In use</th><th>Limit</th></tr></thead><tbody>
${pools.map((p) => html`<tr><td>${p.pool}</td><td>${p.used}</td><td>${p.limit ?? 'unlimited'}${p.overLimit ? html` <strong>over the limit</strong>` : p.nearLimit ? html` <strong>nearly full</strong>` : ''}</td></tr>`)}
</tbody></table>`,
      ),
    );
  });

  return router;
}
