import { Router } from 'express';
import { html } from '../html.js';
import type { Services } from '../services.js';
import { page } from './layout.js';

export function homeRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const organizationName = await services.settings.get('organizationName');
    const ready = await services.setup.ownerExists();
    res.type('html').send(
      page(
        organizationName,
        html`<h1>${organizationName}</h1>
${ready ? html`<p>This is the organization's sign-in service.</p>` : html`<p class="notice">Gatehouse is not set up yet. Open the one-time <code>/setup?token=…</code> link printed in the server log to create the owner account.</p>`}`,
      ),
    );
  });
  return router;
}
