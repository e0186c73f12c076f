// /admin/directory (permission directory.manage): translate the pages to the directory
// services — LDAP settings and test, "Sync now" (the run continues after the redirect and
// its report page follows it), the CSV upload, preview and import.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError, ValidationError } from '../../../errors.js';
import { contextOf } from '../../request-context.js';
import { isUploadedFile } from '../../multipart-form.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { InvalidImportFile } from '../../../directory/csv-template.js';
import { SyncAlreadyRunning } from '../../../directory/ldap-sync-service.js';
import { DominanceRefused } from '../../../roles/dominance.js';
import { importFormBody, overviewBody, previewBody } from './directory-pages.js';
import { ldapSettingsBody, settingsFromForm, type LdapSettingsPageState } from './ldap-settings-page.js';
import { refreshHead, ROWS_PER_PAGE, runReportBody } from './run-report-page.js';

const HERE = '/admin/directory';

export function directoryAdminRoutes(services: Services): Router {
  const router = Router();
  const { directory } = services;
  router.use(permit('directory.manage'));

  /** `body` may be built from the organization's time zone, which every time on these pages is shown in. */
  const send = async (req: Request, res: Response, title: string, body: Parameters<typeof adminPage>[2] | ((timeZone: string) => Parameters<typeof adminPage>[2]), status = 200, head = '') => {
    const shell = await shellState(services, req, res, HERE);
    const page = adminPage(title, shell, typeof body === 'function' ? body(shell.timeZone) : body);
    res.status(status).type('html').send(head ? page.replace('</head>', `${head}</head>`) : page);
  };

  const overview = async (req: Request, res: Response, error?: string) => {
    const [ldap, syncs, imports] = await Promise.all([directory.ldapSettings.get(), directory.runs.recent('ldap'), directory.runs.recent('csv')]);
    await send(req, res, 'Directory', (timeZone) => overviewBody({ csrfToken: res.locals.csrfToken, ldap, syncs, imports, error, timeZone }), error ? 409 : 200);
  };

  router.get('/', (req, res) => overview(req, res));

  // ---- LDAP settings -------------------------------------------------------------------

  const settingsPage = async (req: Request, res: Response, state: Partial<LdapSettingsPageState>, status = 200) =>
    send(req, res, 'LDAP sync settings', ldapSettingsBody({ csrfToken: res.locals.csrfToken, view: await directory.ldapSettings.get(), roles: await services.roles.list(), ...state }), status);

  router.get('/ldap', (req, res) => settingsPage(req, res, { notice: req.query.saved === '1' ? 'Settings saved.' : undefined }));

  router.post('/ldap', async (req, res) => {
    const input = settingsFromForm((req.body ?? {}) as Record<string, unknown>);
    const { bindSecret: _secret, clearSecret: _clear, ...values } = input;
    const ctx = contextOf(req, 'admin');
    try {
      if (req.body?.action === 'test') return await settingsPage(req, res, { values, test: await directory.ldapSettings.test(ctx, input) });
      await directory.ldapSettings.save(ctx, input);
      res.redirect(303, `${HERE}/ldap?saved=1`);
    } catch (err) {
      if (err instanceof DominanceRefused) {
        const refusal = `The directory's connection, bind and mapping decide who signs in as its accounts, so only someone who could manage every one of them may change them. ${err.message}`;
        return settingsPage(req, res, { values, refusal }, 403);
      }
      if (!(err instanceof ValidationError)) throw err;
      await settingsPage(req, res, { values, errors: err.fields }, 400);
    }
  });

  // ---- LDAP sync -----------------------------------------------------------------------

  router.post('/sync', async (req, res) => {
    try {
      const { runId, done } = await directory.ldapSync.start(contextOf(req, 'admin'), { trigger: 'page' });
      // The run goes on after this response; its outcome is kept in its report.
      done.catch((err) => services.logger.error({ err, runId }, 'LDAP sync failed'));
      res.redirect(303, `${HERE}/runs/${runId}`);
    } catch (err) {
      if (!(err instanceof SyncAlreadyRunning)) throw err;
      await overview(req, res, err.message);
    }
  });

  router.get('/runs/:id', async (req, res) => {
    const run = await directory.runs.get(String(req.params.id));
    const page = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const problemsOnly = req.query.show === 'problems';
    const { rows, total } = await directory.runs.rows(run.id, {
      phase: 'result',
      offset: (page - 1) * ROWS_PER_PAGE,
      limit: ROWS_PER_PAGE,
      outcomes: problemsOnly ? ['blocked', 'failed', 'invalid'] : undefined,
    });
    await send(req, res, run.kind === 'ldap' ? 'LDAP sync report' : 'Import report', (timeZone) => runReportBody({ run, rows, totalRows: total, page, problemsOnly, timeZone }), 200, refreshHead(run));
  });

  // ---- CSV import ----------------------------------------------------------------------

  const importForm = async (req: Request, res: Response, error?: string, text?: string) => {
    const imports = await directory.runs.recent('csv');
    await send(req, res, 'Import accounts', (timeZone) => importFormBody({ csrfToken: res.locals.csrfToken, error, text, imports, timeZone }), error ? 400 : 200);
  };

  router.get('/import', (req, res) => importForm(req, res));

  router.get('/import/template.csv', (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('gatehouse-accounts-template.csv').send(directory.csvImport.template());
  });

  router.post('/import', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = isUploadedFile(body.file) && body.file.data.length > 0 ? body.file : null;
    const pasted = typeof body.text === 'string' ? body.text : '';
    if (!file && !pasted.trim()) return importForm(req, res, 'Choose a CSV file, or paste its rows.');
    try {
      const run = await directory.csvImport.stage(contextOf(req, 'csv'), file?.fileName || 'pasted rows', file ? file.data : Buffer.from(pasted, 'utf8'));
      res.redirect(303, `${HERE}/import/${run.id}`);
    } catch (err) {
      if (!(err instanceof InvalidImportFile)) throw err;
      await importForm(req, res, err.message, file ? undefined : pasted);
    }
  });

  router.get('/import/:id', async (req, res) => {
    const run = await directory.runs.get(String(req.params.id));
    if (run.kind !== 'csv' || run.status !== 'previewed') return res.redirect(303, `${HERE}/runs/${run.id}`);
    const { rows, total } = await directory.runs.rows(run.id, { phase: 'preview', limit: 1000 });
    await send(req, res, 'Import preview', previewBody({ csrfToken: res.locals.csrfToken, run, rows, totalRows: total }));
  });

  router.post('/import/:id/run', async (req, res) => {
    const id = String(req.params.id);
    try {
      const { done } = await directory.csvImport.start(contextOf(req, 'csv'), id);
      done.catch((err) => services.logger.error({ err, runId: id }, 'CSV import failed'));
    } catch (err) {
      // Already started (a second click): its report is where the admin wants to be.
      if (!(err instanceof DomainError) || err.code !== 'invalid_transition') throw err;
    }
    res.redirect(303, `${HERE}/runs/${id}`);
  });

  router.post('/import/:id/discard', async (req, res) => {
    await directory.csvImport.discard(contextOf(req, 'csv'), String(req.params.id));
    res.redirect(303, `${HERE}/import`);
  });

  return router;
}
