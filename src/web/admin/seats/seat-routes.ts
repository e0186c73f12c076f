// /admin/seats: anyone who may see users sees usage (users.view); only the owner
// (seats.manage) changes a limit, and SeatService refuses limits set by configuration.
import { Router, type Request, type Response } from 'express';
import type { Services } from '../../../services.js';
import { can } from '../../../roles/authorize.js';
import type { Kind } from '../../../users/user-model.js';
import { contextOf } from '../../request-context.js';
import { adminPage } from '../admin-layout.js';
import { permit, shellState } from '../admin-shell.js';
import { refusalOf, str } from '../admin-form-errors.js';
import { seatPageBody, type SeatPageState } from './seat-views.js';

/** Empty means unlimited; anything but digits reaches the service as NaN and is refused there. */
function limitOf(value: string): number | null {
  if (value === '') return null;
  return /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}

export function seatRoutes(services: Services): Router {
  const router = Router();

  const render = async (req: Request, res: Response, extra: Partial<SeatPageState> = {}, status = 200) => {
    const pools = await services.seats.allUsage();
    const shell = await shellState(services, req, res, '/admin/seats');
    const notice = req.query.done === 'limit' ? 'Seat limit saved.' : undefined;
    res.status(status).type('html').send(adminPage('Seats', shell, seatPageBody({ csrfToken: shell.csrfToken, pools, canEdit: can(req.actor!, 'seats.manage'), notice, ...extra })));
  };

  router.get('/', permit('users.view'), (req, res) => render(req, res));

  router.post('/', permit('seats.manage'), async (req, res) => {
    const pool = str(req.body?.pool);
    const value = str(req.body?.[`limit-${pool}`]);
    try {
      await services.seats.setLimit(contextOf(req, 'admin'), pool as Kind, limitOf(value));
      res.redirect(303, `/admin/seats?done=limit#pool-${encodeURIComponent(pool)}`);
    } catch (err) {
      const { status, fields } = refusalOf(err, 'limit');
      await render(req, res, { refused: { pool, value, errors: fields } }, status);
    }
  });

  return router;
}
