// A refused admin page stays inside the console and says who may open it in words
// ("Only people who may change settings can open this page"), not by permission string.
// Other errors go on to the application's error handler.
import type { NextFunction, Request, Response } from 'express';
import type { Services } from '../../services.js';
import { Forbidden } from '../../errors.js';
import { html } from '../../html.js';
import { whoMay } from '../../roles/permission-descriptions.js';
import { adminPage } from './admin-layout.js';
import { shellState } from './admin-shell.js';

export function forbiddenMessage(err: Forbidden, method: string): string {
  if (!err.permission) return err.message;
  const what = method === 'GET' || method === 'HEAD' ? 'can open this page' : 'can do that';
  return `Only ${whoMay(err.permission)} ${what}.`;
}

export function forbiddenInsideConsole(services: Services) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof Forbidden) || res.headersSent || !req.actor || req.accepts(['json', 'html']) !== 'html') return next(err);
    try {
      const shell = await shellState(services, req, res, '');
      res.status(403).type('html').send(
        adminPage(
          'Not allowed',
          shell,
          html`<h1>Not allowed</h1><p class="error-box" role="alert">${forbiddenMessage(err, req.method)}</p>
<p>Ask an administrator of your organization if you need it. <a href="/">Start page</a> · <a href="/account">Your account</a></p>`,
        ),
      );
    } catch (failure) {
      next(failure);
    }
  };
}
