// /admin/audit (audit.view): the filtered log, newest first with cursor paging, and the
// CSV export of the same filter. AuditLog authorizes and reads; these routes translate.
import { Router, type Request } from 'express';
import type { Services } from '../../../services.js';
import { ValidationError } from '../../../errors.js';
import { parseAuditFilter, type AuditFilterInput } from '../../../audit/audit-filter.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { cursorOf } from '../admin-form-errors.js';
import { auditPageBody } from './audit-views.js';
import { writeAuditCsv } from '../../../audit/audit-csv.js';

function inputOf(req: Request): AuditFilterInput {
  const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : '');
  return { actor: q('actor'), action: q('action'), target: q('target'), from: q('from'), to: q('to') };
}

export function auditRoutes(services: Services): Router {
  const router = Router();
  router.use(permit('audit.view'));

  router.get('/', async (req, res) => {
    const values = inputOf(req);
    const shell = await shellState(services, req, res, '/admin/audit');
    try {
      const filter = parseAuditFilter(values);
      const page = await services.auditLog.search(contextOf(req, 'admin'), filter, { before: cursorOf(req.query.before), after: cursorOf(req.query.after) });
      res.type('html').send(adminPage('Audit log', shell, auditPageBody({ timeZone: shell.timeZone, values, errors: {}, page })));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400).type('html').send(adminPage('Audit log', shell, auditPageBody({ timeZone: shell.timeZone, values, errors: err.fields, page: null })));
    }
  });

  router.get('/export.csv', async (req, res) => {
    const filter = parseAuditFilter(inputOf(req));
    const ctx = contextOf(req, 'admin');
    await services.auditLog.recordExport(ctx, filter);
    const stamp = services.clock.now().toISOString().slice(0, 10);
    res.attachment(`audit-log-${stamp}.csv`).type('text/csv; charset=utf-8').set('Cache-Control', 'no-store');
    try {
      await writeAuditCsv(services.auditLog.all(ctx, filter), res);
    } catch (err) {
      // Once rows went out the status cannot change: end the download (it is then visibly
      // incomplete) and log why — usually the browser went away.
      services.logger.warn({ err }, 'audit export ended early');
      res.destroy();
    }
  });

  return router;
}
