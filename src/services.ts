// Explicit wiring of every service (no DI framework), after logto's tenants/Libraries.ts.
import type { Config } from '../config/index.js';
import type { Clock } from './clock.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { defineModels, type Models } from './db/models.js';
import { AuditService } from './audit/audit-service.js';
import { SettingsService } from './settings/settings-service.js';
import { Outbox } from './mail/outbox.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { createFileTransport, createSmtpTransport, type MailTransport } from './mail/transport.js';
import { RoleService } from './roles/role-service.js';
import { SeatService } from './seats/seat-service.js';
import { UserService } from './users/user-service.js';
import type { AccessRevoker } from './users/access-revoker.js';
import { SetupService } from './setup/setup-service.js';

export interface Services {
  config: Readonly<Config>;
  db: Database;
  models: Models;
  logger: Logger;
  clock: Clock;
  audit: AuditService;
  settings: SettingsService;
  outbox: Outbox;
  mailWorker: OutboxWorker;
  roles: RoleService;
  seats: SeatService;
  users: UserService;
  setup: SetupService;
}

export interface ServiceOverrides {
  mailTransport?: MailTransport;
  accessRevoker?: AccessRevoker;
  mailWorkerOptions?: { pollMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
}

/**
 * Until the OIDC provider exists there are no sessions or tokens to end; `oidc/` replaces
 * this with the revoker that ends them.
 */
const nothingToRevoke: AccessRevoker = { revokeAll: async () => undefined };

export function createServices(config: Readonly<Config>, db: Database, logger: Logger, clock: Clock, overrides: ServiceOverrides = {}): Services {
  const models = defineModels(db.sequelize);
  const tx = db.transactions;
  const audit = new AuditService(models, clock);
  const settings = new SettingsService(models, audit, clock);
  const outbox = new Outbox(models, clock);
  const transport = overrides.mailTransport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createFileTransport(config.mailDir, logger));
  const mailWorker = new OutboxWorker(models, outbox, transport, clock, logger, { from: config.mailFrom, ...overrides.mailWorkerOptions });
  const roles = new RoleService(models, audit, clock, tx);
  const seats = new SeatService(models, config, audit, clock, tx);
  const users = new UserService(models, roles, seats, audit, overrides.accessRevoker ?? nothingToRevoke, clock, tx);
  const setup = new SetupService(models, users, roles, outbox, settings, audit, clock, tx, { publicUrl: config.publicUrl, tokenTtlHours: config.setupTokenTtlHours });
  return { config, db, models, logger, clock, audit, settings, outbox, mailWorker, roles, seats, users, setup };
}
