// /admin/invitations/bulk: the template download, the multipart upload (a file input works
// without JavaScript; app.ts parses multipart here before the CSRF check) translated to
// bulk.review, and "Send all" to bulk.send. A broken file is refused with the service's
// message and nothing is sent.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { DomainError, ValidationError } from '../../../errors.js';
import { isUploadedFile } from '../../multipart-form.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { shellState } from '../admin-shell.js';
import { str } from '../admin-form-errors.js';
import { HERE } from './invitation-format.js';
import { reviewBody, sendAgainBody, sentBody, uploadBody } from './bulk-views.js';

/** A file name for headings only: no path, printable, short. */
function displayName(name: string): string {
  return name.replace(/^.*[\\/]/, '').replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 100) || 'your file';
}

export function bulkRoutes(services: Services): Router {
  const router = Router();
  const { bulk } = services.invitations;

  const page = async (req: Request, res: Response, title: string, body: (csrfToken: string) => Parameters<typeof adminPage>[2], status = 200) => {
    const shell = await shellState(services, req, res, HERE);
    res.status(status).type('html').send(adminPage(title, shell, body(shell.csrfToken)));
  };
  const upload = (req: Request, res: Response, error?: string, status = 200) => page(req, res, 'Invite many', (csrfToken) => uploadBody({ csrfToken, error }), error ? status : 200);

  router.get('/', (req, res) => upload(req, res));

  router.get('/template.csv', (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('gatehouse-invitations.csv').send(bulk.template());
  });

  router.post('/', async (req, res) => {
    const file = isUploadedFile(req.body?.file) ? req.body.file : null;
    if (!file) return upload(req, res, 'Choose a CSV file to upload. Nothing was sent.', 400);
    const fileName = displayName(file.fileName);
    try {
      const review = await bulk.review(contextOf(req, 'admin'), file.data);
      await page(req, res, 'Review invitations', (csrfToken) => reviewBody({ csrfToken, review, fileName }));
    } catch (err) {
      // InvalidCsv (empty, not UTF-8, broken quotes, wrong header, too many rows).
      if (err instanceof DomainError && err.expose && err.status === 400) return upload(req, res, `${fileName}: ${err.message}`, 400);
      throw err;
    }
  });

  router.post('/:batchId/send', async (req, res) => {
    const batchId = String(req.params.batchId);
    const fileName = displayName(str(req.body?.fileName));
    const message = typeof req.body?.message === 'string' ? req.body.message : '';
    try {
      const { outcomes, counts } = await bulk.send(contextOf(req, 'admin'), batchId, { message });
      await page(req, res, 'Invitations sent', () => sentBody({ fileName, outcomes, counts }));
    } catch (err) {
      if (err instanceof ValidationError) {
        return page(req, res, 'Send invitations', (csrfToken) => sendAgainBody({ csrfToken, batchId, fileName, message, messageError: err.fields.message ?? err.message }), 400);
      }
      // Gone, expired or already sent: say so on the upload page.
      if (err instanceof DomainError && err.expose) return upload(req, res, err.message, err.status);
      throw err;
    }
  });

  return router;
}
