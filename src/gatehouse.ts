// Boot sequence: config -> database -> migrate -> services -> app -> listen -> setup link and
// background workers, and the graceful shutdown that undoes it (stop accepting, finish
// requests, stop the outbox worker, close the pool).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from './clock.js';
import { systemContext } from './context.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrator.js';
import type { Logger } from './logger.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';
import { buildApp } from './app.js';
import { listen } from './listen.js';
import { startMetricsListener, type MetricsListener } from './web/metrics-listener.js';

const CLEANUP_EVERY_MS = 10 * 60_000;

export interface RunningGatehouse {
  services: Services;
  server: http.Server;
  url: string;
  /** The separate metrics listener's /metrics URL (METRICS_LISTEN), else null. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export async function startGatehouse(config: Readonly<Config>, logger: Logger, options: { clock?: Clock; overrides?: ServiceOverrides } = {}): Promise<RunningGatehouse> {
  const db = await openDatabase(config.database, logger, config.databaseConnectTimeoutMs, config.databaseTimeouts);
  await migrate(db, logger);
  const services = createServices(config, db, logger, options.clock ?? systemClock, options.overrides);
  const { app, edges } = await buildApp(services);
  const server = http.createServer(app);
  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    await db.close();
    throw err;
  }
  let metricsListener: MetricsListener | null = null;
  try {
    if (config.metrics.listen) metricsListener = await startMetricsListener(services.metrics, config.metrics.listen, logger);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  services.runtime.internalUrl = `http://127.0.0.1:${port}`;
  // Only a process that listens hands out the setup link: a start that fails (the port is
  // taken) must not print a link that looks valid but leads to whoever holds the port.
  const setupLink = await services.setup.issueLinkIfNeeded(systemContext('setup'));
  if (setupLink) logger.info({ setupLink }, `No owner yet. Create the owner account at ${setupLink}`);
  if (config.mailWorker) services.mailWorker.start();
  if (config.webhookWorker) services.webhooks.worker.start();
  if (config.sms.worker) services.smsWorker.start();
  services.registrationSweeper.start();
  services.accessEndScheduler.start(); // access end dates: deactivation and reminders; one runner across processes (a lease)
  const directorySchedule = services.directory.ldapScheduler.start(); // LDAP sync on its schedule; one runner across processes (a lease)
  // Expired provider artifacts and page sessions are removed now and then.
  const cleanup = setInterval(() => {
    Promise.all([edges.oidc.cleanupExpired(), services.webSessions.deleteExpired()]).catch((err) => logger.warn({ err }, 'cleanup of expired sessions failed'));
  }, CLEANUP_EVERY_MS);
  cleanup.unref();
  logger.info({ port, publicUrl: config.publicUrl, database: config.database.dialect }, 'gatehouse listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new connections, finishing requests in flight');
      clearInterval(cleanup);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await metricsListener?.close();
      await services.mailWorker.stop();
      await services.webhooks.worker.stop();
      await services.smsWorker.stop();
      await services.registrationSweeper.stop();
      await services.accessEndScheduler.stop();
      await directorySchedule.stop();
      await db.close();
      logger.info('shutdown complete');
    })());

  return { services, server, url: `http://127.0.0.1:${port}`, metricsUrl: metricsListener?.url ?? null, stop };
}
