// Request durations for the metrics, labelled by the route's template (`/admin/users/:id`),
// never by the URL itself: ids, tokens and made-up paths would each become a series of
// their own. A request no route matched counts under one label.
import type { NextFunction, Request, Response } from 'express';
import type { GatehouseMetrics } from '../metrics/gatehouse-metrics.js';

export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Names requests that no Express route serves (the OIDC provider's endpoints); null if unknown. */
export type RouteNamer = (path: string) => string | null;

function routeTemplate(req: Request, nameOther: RouteNamer): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && route.path !== undefined) {
    const path = Array.isArray(route.path) ? route.path.join('|') : String(route.path);
    return `${req.baseUrl}${path}` || '/';
  }
  // Answered by a router's middleware (a refused bearer token, a redirect to sign in): the
  // router's mount point is still a template.
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return nameOther(req.path) ?? UNMATCHED_ROUTE;
}

export function httpMetrics(metrics: GatehouseMetrics, nameOther: RouteNamer = () => null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({ method: METHODS.has(req.method) ? req.method : 'other', route: routeTemplate(req, nameOther), status: String(res.statusCode) });
    });
    next();
  };
}

/** Names a path by the longest of the given endpoint paths it is or lies under (`/oidc/auth/*`). */
export function namePathsUnder(endpoints: readonly string[]): RouteNamer {
  const longestFirst = [...endpoints].sort((a, b) => b.length - a.length);
  return (path) => {
    for (const e of longestFirst) {
      if (path === e) return e;
      if (path.startsWith(`${e}/`)) return `${e}/*`;
    }
    return null;
  };
}
