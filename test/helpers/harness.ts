// describeEachDatabase: runs a suite once on SQLite and once on MariaDB (TEST_MYSQL_URL),
// each on its own fresh database, with services wired as in production but with a fake
// clock, an in-memory mail transport and a recording AccessRevoker. Rows are cleared
// before every test.
import type { Express } from 'express';
import { loadConfig, type Config } from '../../config/index.js';
import { FakeClock } from '../../src/clock.js';
import type { Actor, Context } from '../../src/context.js';
import { systemContext } from '../../src/context.js';
import type { Database } from '../../src/db/database.js';
import { createServices, type Services } from '../../src/services.js';
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../../src/logger.js';
import type { AddressInfo } from 'node:net';
import { buildApp, type Edges } from '../../src/app.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { MemoryMailTransport } from './memory-mail.js';
import { RecordingRevoker } from './recording-revoker.js';
import { clearDatabase, DIALECTS, openTestDatabase, testLogger, type TestDialect } from './test-databases.js';

export interface Harness {
  dialect: TestDialect;
  db: Database;
  services: Services;
  app: Express;
  clock: FakeClock;
  mail: MemoryMailTransport;
  revoker: RecordingRevoker;
  config: Readonly<Config>;
  /** A context acting as the system (all permissions). */
  system(): Context;
  /** A context acting as the given user with their current permissions. */
  as(user: Pick<UserView, 'id' | 'username'>): Promise<Context>;
  /** A context acting with exactly these permissions. */
  withPermissions(permissions: string[], userId?: string | null): Context;
  /** The protocol edges (OIDC provider, page sessions). */
  edges: Edges;
  /** With `serve`: the listening base URL (also PUBLIC_URL). */
  baseUrl: string;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /**
   * Listen on a real port and make it PUBLIC_URL (the issuer), for suites that drive the
   * OIDC provider over HTTP with a real relying party or a browser.
   */
  serve?: boolean;
  /**
   * With `serve`: the host name PUBLIC_URL names (default 127.0.0.1). WebAuthn needs a
   * domain as its relying party id, never an address: passkey suites use `localhost`.
   */
  hostname?: string;
  /** With `serve`: listen with TLS (https PUBLIC_URL) using this key and certificate. */
  tls?: () => { key: string; cert: string };
  /** The services' logger instead of the silent test logger (to read what start-up logs). */
  logger?: () => Logger;
  /** Only these databases: for behaviour that lives in the browser and cannot differ by database. */
  dialects?: readonly TestDialect[];
}

export function describeEachDatabase(title: string, body: (h: Harness) => void, options: HarnessOptions = {}): void {
  for (const dialect of options.dialects ?? DIALECTS) {
    describe(`${title} [${dialect}]`, function () {
      const h = {} as Harness;
      let drop: (() => Promise<void>) | null = null;
      let server: http.Server | https.Server | null = null;

      before(async function () {
        const opened = await openTestDatabase(this, dialect);
        drop = opened.drop;
        let publicUrl = 'http://gatehouse.test';
        if (options.serve) {
          server = options.tls ? https.createServer(options.tls()) : http.createServer();
          await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
          publicUrl = `${options.tls ? 'https' : 'http'}://${options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
        }
        const config = loadConfig({ DATABASE_URL: opened.config.url, PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent', MAIL_WORKER: 'false', ...options.env });
        const logger = options.logger?.() ?? testLogger();
        const clock = new FakeClock('2030-01-01T09:00:00.000Z');
        const mail = new MemoryMailTransport();
        const revoker = new RecordingRevoker();
        const services = createServices(config, opened.db, logger, clock, { mailTransport: mail, accessRevoker: revoker });
        const { app, edges } = await buildApp(services);
        if (server) {
          server.on('request', app);
          services.runtime.internalUrl = publicUrl;
        }
        Object.assign(h, {
          edges,
          baseUrl: publicUrl,
          dialect,
          db: opened.db,
          services,
          app,
          clock,
          mail,
          revoker,
          config,
          system: () => systemContext('system', 'test'),
          as: async (user: Pick<UserView, 'id' | 'username'>) => ({ actor: await services.roles.actorFor(user), source: 'admin', ip: '127.0.0.1' }) as Context,
          withPermissions: (permissions: string[], userId: string | null = null) =>
            ({ actor: { userId, label: 'tester', permissions: new Set(permissions) } satisfies Actor, source: 'admin', ip: '127.0.0.1' }) as Context,
        });
      });

      beforeEach(async function () {
        if (!h.db) return;
        await clearDatabase(h.db);
        // The reset wrote the settings table behind the service's back.
        h.services.settings.forgetRecent();
        h.mail.sent.length = 0;
        h.mail.failing = false;
        h.revoker.calls.length = 0;
        h.revoker.failWith = null;
        h.clock.set('2030-01-01T09:00:00.000Z');
      });

      after(async function () {
        if (server) {
          server.closeAllConnections();
          await new Promise((resolve) => server!.close(resolve));
        }
        await drop?.();
      });

      body(h);
    });
  }
}
