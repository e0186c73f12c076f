// Counts SCIM requests by resource, method and status for the metrics. The resource is
// the endpoint's name from a fixed list, so a made-up path cannot add a series.
import type { NextFunction, Request, Response } from 'express';
import type { GatehouseMetrics } from '../../src/metrics/gatehouse-metrics.js';

const RESOURCES = new Set(['Users', 'Groups', 'Bulk', '.search', 'Me', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function scimMetrics(metrics: GatehouseMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const first = req.path.split('/')[1] ?? '';
    const resource = RESOURCES.has(first) ? first : 'other';
    res.once('finish', () => {
      metrics.scimOperations.inc({ resource, method: METHODS.has(req.method) ? req.method : 'other', status: String(res.statusCode) });
    });
    next();
  };
}
