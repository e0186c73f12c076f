// The start page ("/"): every error page's "Back to the start", the signed-out page and the
// owner's welcome mail lead here. It names the organization and offers what the visitor
// may do next: sign in, or their account page and the admin pages they may open.
import { Router, type RequestHandler } from 'express';
import { html } from '../html.js';
import type { Services } from '../services.js';
import { adminLinksFor } from './admin/admin-layout.js';
import { page } from './layout.js';

const pass: RequestHandler = (_req, _res, next) => next();

export function homeRoutes(services: Services, session: RequestHandler = pass): Router {
  const router = Router();
  router.get('/', session, async (req, res) => {
    const organizationName = await services.settings.get('organizationName');
    if (!(await services.setup.ownerExists())) {
      return res.type('html').send(
        page(organizationName, html`<h1>${organizationName}</h1><p class="notice">Gatehouse is not set up yet. Open the one-time <code>/setup?token=…</code> link printed in the server log to create the owner account.</p>`, { organizationName }),
      );
    }
    const admin = req.actor ? adminLinksFor(req.actor) : [];
    const body = req.user
      ? html`<h1>${organizationName}</h1>
<p>Signed in as <strong>${req.user.name}</strong>.</p>
<ul class="start-links">
<li><a href="/account">Your account</a> <span class="muted">profile, password and two-step verification</span></li>
${admin.length ? html`<li><strong>Administration</strong> <span class="admin-links">${admin.map((l, i) => html`${i ? ' · ' : ''}<a href="${l.href}">${l.label}</a>`)}</span></li>` : ''}
</ul>`
      : html`<h1>${organizationName}</h1>
<p>One account for the applications of ${organizationName}.</p>
<p><a class="button" href="/auth/login?returnTo=%2F">Sign in</a></p>
${(await services.registration.policy()).open ? html`<p>New here? <a href="/register">Create an account</a></p>` : ''}
<p><a href="/password/forgot">Forgot your password?</a></p>`;
    res.type('html').send(page(organizationName, body, { organizationName }));
  });
  return router;
}
