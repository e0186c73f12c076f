// /assets/console.js: the pages' one script, served from our own origin so the CSP's
// script-src 'self' allows it. Every page works without it: <time datetime data-local> is
// restated in the viewer's own time zone when it differs from the organization's (the
// organization's time stays in the tooltip). Scripts a page needs only here and there
// (copy buttons, filter bars that apply on change) are in scripts/, loaded by the pages
// that use them.
import { Router } from 'express';

export const CONSOLE_SCRIPT_PATH = '/assets/console.js';

const SCRIPT = `(function () {
  'use strict';
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var format = new Intl.DateTimeFormat('en-GB', { timeZone: viewerZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  function localTimes() {
    document.querySelectorAll('time[data-local]').forEach(function (el) {
      var text = el.textContent || '';
      if (!el.getAttribute('datetime') || text.slice(-viewerZone.length - 1) === ' ' + viewerZone) return;
      var when = new Date(el.getAttribute('datetime'));
      if (isNaN(when.getTime())) return;
      el.title = text;
      el.textContent = format.format(when) + ' ' + viewerZone;
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', localTimes);
  else localTimes();
})();
`;

export function consoleScriptRoutes(): Router {
  const router = Router();
  router.get(CONSOLE_SCRIPT_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('application/javascript').send(SCRIPT);
  });
  return router;
}
