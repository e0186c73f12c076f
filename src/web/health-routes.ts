// /healthz: the process is alive. /readyz: the database answers and the schema is current;
// 503 otherwise, so a load balancer sends no traffic to a process that cannot serve it.
import { Router } from 'express';
import type { Services } from '../services.js';
import { pendingMigrations } from '../db/migrator.js';

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await services.db.sequelize.query('SELECT 1');
      const pending = await pendingMigrations(services.db);
      if (pending.length) {
        res.status(503).json({ status: 'not ready', reason: `migrations pending: ${pending.join(', ')}` });
        return;
      }
      res.json({ status: 'ready' });
    } catch (err) {
      services.logger.warn({ reason: (err as Error).message }, 'readiness check failed');
      res.status(503).json({ status: 'not ready', reason: 'database unreachable' });
    }
  });
  return router;
}
