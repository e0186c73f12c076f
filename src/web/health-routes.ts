// /healthz: the process is alive. /readyz: the database answers and the schema is current;
// 503 otherwise, so a load balancer sends no traffic to a process that cannot serve it.
// A stalled database must not stall the probe: past READY_WITHIN_MS it answers 503 (the
// check itself ends later, bounded by the statement timeout) and 200 again once the
// database answers, without a restart.
import { Router } from 'express';
import type { Services } from '../services.js';
import { pendingMigrations } from '../db/migrator.js';

export const READY_WITHIN_MS = 2_000;

async function check(services: Services): Promise<string | null> {
  await services.db.sequelize.query('SELECT 1');
  const pending = await pendingMigrations(services.db);
  return pending.length ? `migrations pending: ${pending.join(', ')}` : null;
}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a check that fails after the timer is already answered
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const pending = await within(READY_WITHIN_MS, check(services));
      if (pending) {
        res.status(503).json({ status: 'not ready', reason: pending });
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
