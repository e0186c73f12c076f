// The pages' few scripts, served from this origin (the content security policy allows
// scripts from 'self' only, never inline ones). Each is a small enhancement: every page
// works without it.
import { Router } from 'express';
import { AUTO_SUBMIT_SCRIPT } from './auto-submit.js';
import { COPY_SCRIPT } from './copy-button.js';
import { PASSKEY_SCRIPT } from './passkey-ceremony.js';
import { SELECT_ALL_SCRIPT } from './select-all.js';
import { webauthnBrowserBundle } from './webauthn-bundle.js';
import { SCRIPTS_PATH } from './script-tag.js';

const SCRIPTS: Record<string, () => string> = {
  copy: () => COPY_SCRIPT,
  'auto-submit': () => AUTO_SUBMIT_SCRIPT,
  passkey: () => PASSKEY_SCRIPT,
  'select-all': () => SELECT_ALL_SCRIPT,
  webauthn: webauthnBrowserBundle,
};

export function scriptRoutes(): Router {
  const router = Router();
  router.get(`${SCRIPTS_PATH}/:name.js`, (req, res, next) => {
    const name = String(req.params.name);
    if (!Object.hasOwn(SCRIPTS, name)) return next();
    res.type('application/javascript').set('Cache-Control', 'public, max-age=300').send(SCRIPTS[name]());
  });
  return router;
}
