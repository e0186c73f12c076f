// GET /metrics on the main port, for Prometheus: only with the configured bearer token
// (compared by hash, so neither its content nor its length shows in the timing).
import { Router, type Request, type Response } from 'express';
import type { GatehouseMetrics } from '../metrics/gatehouse-metrics.js';
import { hashToken, safeEqual } from '../ids.js';

function bearer(req: Request): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m ? m[1]! : null;
}

export async function sendMetrics(metrics: GatehouseMetrics, res: Response): Promise<void> {
  const text = await metrics.text();
  res.set('Cache-Control', 'no-store').type(metrics.contentType).send(text);
}

export function metricsRoutes(metrics: GatehouseMetrics, token: string): Router {
  const expected = hashToken(token);
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const given = bearer(req);
    if (!given || !safeEqual(hashToken(given), expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text').send('A valid bearer token is needed for /metrics.\n');
      return;
    }
    await sendMetrics(metrics, res);
  });
  return router;
}
