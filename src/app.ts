// createApp(services): headers, request ids and logging, body parsing, CSRF, the routes,
// and the error handler last.
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Services } from './services.js';
import { requestIds } from './web/request-context.js';
import { csrfProtection } from './web/csrf.js';
import { errorHandler } from './web/error-handler.js';
import { healthRoutes } from './web/health-routes.js';
import { setupRoutes } from './web/setup/setup-routes.js';
import { homeRoutes } from './web/home-page.js';
import { NotFound } from './errors.js';

export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy, X-Forwarded-* decide req.ip, req.secure and so secure cookies.
  app.set('trust proxy', services.config.trustProxy);
  app.use(requestIds(services.logger));
  app.use(helmet());
  app.use(healthRoutes(services));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(csrfProtection());
  app.use(homeRoutes(services));
  app.use(setupRoutes(services));
  app.use((_req, _res, next) => next(new NotFound('There is no page at this address.')));
  app.use(errorHandler(services.logger));
  return app;
}
