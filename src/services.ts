// Explicit wiring of every service (no DI framework), after logto's tenants/Libraries.ts.
import { SEAT_LIMIT_KEYS, type Config } from '../config/index.js';
import type { Clock } from './clock.js';
import type { Database } from './db/database.js';
import type { Logger } from './logger.js';
import { defineModels, type Models } from './db/models.js';
import { AuditService } from './audit/audit-service.js';
import { SettingsService } from './settings/settings-service.js';
import { Outbox } from './mail/outbox.js';
import { AccessEnds } from './users/access-ends.js';
import { AccessEndReminders } from './users/access-end-reminders.js';
import { AccessEndScheduler } from './users/access-end-scheduler.js';
import { DirectoryLease, LEASE_TTL_MS } from './directory/lease.js';
import { OutboxWorker } from './mail/outbox-worker.js';
import { createFileTransport, createSmtpTransport, type MailTransport } from './mail/transport.js';
import { RoleService } from './roles/role-service.js';
import { SeatRefusalNotices } from './seats/seat-refusal-notices.js';
import { SeatService } from './seats/seat-service.js';
import { DominanceRefused } from './roles/dominance.js';
import { AccountNotices } from './users/account-notices.js';
import { UserService } from './users/user-service.js';
import { DirectoryStateWriter } from './users/directory-state.js';
import type { AccessRevoker } from './users/access-revoker.js';
import { SetupService } from './setup/setup-service.js';
import { ClientService } from './clients/client-service.js';
import { SignInThrottle } from './signin/sign-in-throttle.js';
import { SignInService } from './signin/sign-in-service.js';
import { RevokerChain } from './users/revoker-chain.js';
import { SignOutEverywhere } from './users/sign-out-everywhere.js';
import { OwnSessions } from './users/own-sessions.js';
import { OwnProviderSessions } from './users/own-provider-sessions.js';
import { SecretBox } from './crypto/secret-box.js';
import { loadCookieKeys } from './crypto/cookie-keys.js';
import { TotpService } from './totp/totp-service.js';
import { PasskeyService } from './passkeys/passkey-service.js';
import { PasskeyChallenges } from './passkeys/passkey-challenges.js';
import { PasskeyPolicies } from './passkeys/passkey-policy.js';
import { WebSessionService } from './web/session/web-session-service.js';
import { UpstreamService } from './upstream/upstream-service.js';
import { InvitationCreator } from './invitations/invitation-creator.js';
import { InvitationAcceptance } from './invitations/invitation-acceptance.js';
import { InvitationBulk } from './invitations/invitation-bulk.js';
import { InvitationService } from './invitations/invitation-service.js';
import { InvitationQueries } from './invitations/invitation-queries.js';
import { EmailConfirmations } from './registration/email-confirmations.js';
import { RegistrationService } from './registration/registration-service.js';
import { RegistrationSweeper } from './registration/registration-sweeper.js';
import { ScimTokenService } from './scim-tokens/scim-token-service.js';
import { ConnectionService } from './connections/connection-service.js';
import { ScimTokenNotices } from './scim-tokens/scim-token-notices.js';
import { ScimTokenWatch } from './scim-tokens/scim-token-watch.js';
import { TokenAuthenticationCache } from './scim-tokens/token-authentication-cache.js';
import { RoleMembershipService } from './roles/role-membership.js';
import { AuditLog } from './audit/audit-log.js';
import { PasswordResetService } from './passwords/password-reset-service.js';
import { createDirectoryServices, type DirectoryServices } from './directory/directory-services.js';
import { UserDirectory } from './users/user-directory.js';
import { UserOnboarding } from './users/user-onboarding.js';
import { UserHistory } from './users/user-history.js';
import { ReactivationLinks } from './users/reactivation-links.js';
import { EmailChanges } from './users/email-changes.js';
import { EmailRestoreLinks } from './users/email-restore-links.js';
import { GatehouseMetrics } from './metrics/gatehouse-metrics.js';
import { auditMetrics } from './metrics/audit-metrics.js';
import { poolState } from './db/pool-state.js';
import { createWebhookServices, type WebhookServices } from './webhooks/webhook-services.js';
import type { WebhookSender } from './webhooks/webhook-sender.js';
import type { WebhookWorkerOptions } from './webhooks/webhook-worker.js';
import { SmsOutbox } from './sms/sms-outbox.js';
import { SmsWorker } from './sms/sms-worker.js';
import type { SmsTransport } from './sms/sms-transport.js';
import { smsTransportOf } from './sms/sms-transport-of.js';
import { PhoneCodes } from './phones/phone-codes.js';
import { AccountPhone } from './phones/account-phone.js';
import type { QueueWorkerOptions } from './db/queue-worker.js';

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
  /** Text messages (phone codes), enqueued in the caller's transaction like mail. */
  smsOutbox: SmsOutbox;
  smsWorker: SmsWorker;
  /** One-time codes proving phone numbers (sending limits, tries, the country allow-list). */
  phoneCodes: PhoneCodes;
  /** The account page's "verify or change your phone". */
  accountPhone: AccountPhone;
  roles: RoleService;
  seats: SeatService;
  users: UserService;
  /** The one operation through which SCIM, LDAP and CSV change an existing account. */
  directoryState: DirectoryStateWriter;
  setup: SetupService;
  clients: ClientService;
  signIn: SignInService;
  /** Every AccessRevoker (OIDC artifacts, web sessions) registers here; users call them all. */
  revokers: RevokerChain;
  /** Encrypts secrets at rest; created on first use (it may need to store its key). */
  secrets: () => Promise<SecretBox>;
  /** Keys signing cookies (COOKIE_KEYS, or generated once and stored). */
  cookieKeys: () => Promise<string[]>;
  totp: TotpService;
  passkeys: PasskeyService;
  webSessions: WebSessionService;
  signOutEverywhere: SignOutEverywhere;
  ownSessions: OwnSessions;
  ownProviderSessions: OwnProviderSessions;
  /** Facts known only once running: where this process listens (for calls to itself). */
  runtime: { internalUrl: string | null };
  invitations: InvitationService;
  /** Email confirmation links (self-registration, shareable-link invitations, admin-added). */
  emailConfirmations: EmailConfirmations;
  registration: RegistrationService;
  /** Removes expired unconfirmed self-registrations on a timer; started with the server. */
  registrationSweeper: RegistrationSweeper;
  /** Bearer tokens of SCIM directories. */
  scimTokens: ScimTokenService;
  /** Provisioning connections: SCIM clients, the LDAP sync, CSV imports; each keeps its own externalIds. */
  connections: ConnectionService;
  /** A role's holders changed as a set (SCIM Group members). */
  roleMembers: RoleMembershipService;
  /** Reading the audit log: filters, cursor paging, the CSV export. */
  auditLog: AuditLog;
  /** Forgotten-password links. */
  passwordResets: PasswordResetService;
  /** Upstream OpenID providers offered on the sign-in page. */
  upstream: UpstreamService;
  // Admin users pages.
  /** The users list: accounts and invited addresses, search, filters, groups, keyset pages. */
  userDirectory: UserDirectory;
  /** "Add user": typed or random password, confirmed or not, welcome email. */
  userOnboarding: UserOnboarding;
  /** An account's status and role changes and recent audit events. */
  userHistory: UserHistory;
  /** Reactivation by emailed link (72 h; the seat is taken when it is followed). */
  reactivationLinks: ReactivationLinks;
  /** "It wasn't me" links to an address someone else replaced (restore it, sign everyone out). */
  emailRestoreLinks: EmailRestoreLinks;
  /** LDAP sync (settings, runs, schedule, directory-password sign-in) and CSV import. */
  directory: DirectoryServices;
  /** Lifecycle webhooks of applications: registration, the delivery outbox and its worker. */
  webhooks: WebhookServices;
  /** Prometheus metrics of this instance (its own registry); served only when configured. */
  metrics: GatehouseMetrics;
  /** Access end dates: set, moved, cleared; ended at the date by the scheduler (one process at a time). */
  accessEnds: AccessEnds;
  accessEndScheduler: AccessEndScheduler;
}

export interface ServiceOverrides {
  mailTransport?: MailTransport;
  accessRevoker?: AccessRevoker;
  mailWorkerOptions?: { pollMs?: number; baseBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number };
  webhookSender?: WebhookSender;
  webhookWorkerOptions?: WebhookWorkerOptions;
  smsTransport?: SmsTransport;
  smsWorkerOptions?: QueueWorkerOptions;
}


export function createServices(config: Readonly<Config>, db: Database, logger: Logger, clock: Clock, overrides: ServiceOverrides = {}): Services {
  const models = defineModels(db.sequelize, db.sql);
  const tx = db.transactions;
  const audit = new AuditService(models, clock);
  tx.onFailure('audit refusals', async (ctx, err) => {
    if (err instanceof DominanceRefused) await audit.record(ctx, 'access.refused', { change: err.change, reason: err.message }, { type: 'user', id: err.target.id, label: err.target.label });
  });
  const settings = new SettingsService(models, audit, clock, tx);
  const outbox = new Outbox(models, clock);
  const transport = overrides.mailTransport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createFileTransport(config.mailDir, logger));
  const mailWorker = new OutboxWorker(models, outbox, transport, clock, logger, { from: config.mailFrom, ...overrides.mailWorkerOptions });
  const smsOutbox = new SmsOutbox(models, clock);
  const smsWorker = new SmsWorker(models, smsOutbox, overrides.smsTransport ?? smsTransportOf(config.sms, logger), clock, logger, overrides.smsWorkerOptions);
  const phoneCodes = new PhoneCodes(models, smsOutbox, settings, audit, clock);
  const roles = new RoleService(models, audit, clock, tx);
  const seats = new SeatService(models, { limits: config.seats, setIn: SEAT_LIMIT_KEYS }, audit, clock, tx);
  const revokers = new RevokerChain();
  if (overrides.accessRevoker) revokers.add(overrides.accessRevoker);
  const emailChanges = new EmailChanges(models, clock, config.publicUrl);
  const notices = new AccountNotices(models, outbox, settings, emailChanges);
  const users = new UserService(models, roles, seats, audit, revokers, clock, tx, notices);
  const setup = new SetupService(models, users, roles, outbox, settings, audit, clock, tx, { publicUrl: config.publicUrl, tokenTtlHours: config.setupTokenTtlHours });
  const clients = new ClientService(models, audit, clock, tx, roles);
  const signIn = new SignInService(users, new SignInThrottle(models, clock), audit);
  let secretBox: Promise<SecretBox> | null = null;
  const secrets = () => (secretBox ??= SecretBox.create(models, clock, config.encryptionKey));
  let keys: Promise<string[]> | null = null;
  const cookieKeys = () => (keys ??= loadCookieKeys(models, clock, config.cookieKeys));
  const totp = new TotpService(models, secrets, settings, roles, users, audit, clock, tx, new URL(config.publicUrl).host);
  // WebAuthn's relying party is PUBLIC_URL: its host name is the RP ID, its origin what browsers report.
  const publicUrl = new URL(config.publicUrl);
  const passkeys = new PasskeyService(models, new PasskeyChallenges(models, clock), new PasskeyPolicies(settings, roles), users, settings, audit, clock, tx, {
    id: publicUrl.hostname,
    origin: publicUrl.origin,
  });
  const webSessions = new WebSessionService(models, settings, clock);
  revokers.add(webSessions);
  const signOutEverywhere = new SignOutEverywhere(models, users, revokers, audit, tx);
  const ownSessions = new OwnSessions(models, audit, clock, tx);
  const ownProviderSessions = new OwnProviderSessions(models, audit, clock, tx);
  // Invitations and self-registration: links from PUBLIC_URL only, never the Host header.
  const emailConfirmations = new EmailConfirmations(models, users, outbox, settings, audit, clock, tx, config.publicUrl);
  const invitationCreator = new InvitationCreator(models, roles, seats, outbox, settings, audit, clock, config.publicUrl);
  const invitations = new InvitationService(
    models, invitationCreator, roles, seats, settings, audit, clock, tx, logger,
    new InvitationQueries(models, invitationCreator, clock),
    new InvitationAcceptance(models, invitationCreator, users, emailConfirmations, outbox, settings, audit, clock, tx, phoneCodes),
    new InvitationBulk(models, invitationCreator, roles, seats, audit, clock, tx, logger),
  );
  const registration = new RegistrationService(models, users, roles, emailConfirmations, outbox, settings, audit, clock, tx, logger, config.publicUrl, seats);
  // A token's creator losing what the token carries is noticed in the transaction that
  // changed the creator (every such change is audited): the holders of scim.manage are mailed.
  const scimTokenWatch = new ScimTokenWatch(models, new ScimTokenNotices(models, outbox, settings, config.publicUrl), audit, clock);
  audit.observe('scim token creators', scimTokenWatch.observe);
  const connections = new ConnectionService(models, clock, tx);
  // A creation refused for a full pool is mailed to the holders of seats.manage, once a day.
  new SeatRefusalNotices(models, outbox, settings, tx, clock, config.publicUrl).listen(audit);
  // Requests reuse a token's authentication for a moment; changes to its standing forget it.
  const tokenCache = new TokenAuthenticationCache();
  audit.observe('scim token cache', tokenCache.observe);
  const scimTokens = new ScimTokenService(models, audit, clock, tx, scimTokenWatch, connections, tokenCache);
  const roleMembers = new RoleMembershipService(models, roles, audit, clock, tx);
  // Forgotten password: ends every session through the revoker chain.
  const passwordResets = new PasswordResetService(models, users, revokers, outbox, settings, audit, clock, tx, config.publicUrl, emailChanges, notices);
  // An account provisioned without an address gets the activation its creation could not send once it is given one.
  users.whenEmailAdded(async (t, user) => {
    await passwordResets.activateOnNewAddress(t, user);
  });
  // LDAP sync and CSV import: accounts only through the users service; accounts
  // synced from LDAP sign in by a bind to the directory.
  const accessEnds = new AccessEnds(models, users, roles, audit, clock, tx);
  const directoryState = new DirectoryStateWriter(users, roles, seats, accessEnds);
  const directory = createDirectoryServices({ models, users, roles, seats, directoryState, connections, audit, secrets, clock, transactions: tx, logger, ldapBindPassword: config.ldapBindPassword, timeZone: () => settings.get('timeZone') });
  signIn.addExternalVerifier(directory.ldapVerifier);
  // Lifecycle webhooks: every audited account change becomes a delivery in its own transaction.
  const webhooks = createWebhookServices({
    models, audit, outbox, settings, secrets, clock, transactions: tx, logger, publicUrl: config.publicUrl,
    allowPrivate: config.webhookAllowPrivateAddresses, sender: overrides.webhookSender, workerOptions: overrides.webhookWorkerOptions,
  });
  // Gauges read their state when scraped; sign-ins and directory runs are counted from
  // their audit events once committed.
  const metrics = new GatehouseMetrics({
    seats: async () => (await seats.allUsage()).map((u) => ({ pool: u.pool, used: u.used, limit: u.limit })),
    outbox: () => outbox.backlog(),
    pool: () => poolState(db),
    now: () => clock.now(),
  });
  if (config.metrics.token || config.metrics.listen) metrics.collectProcessMetrics();
  const accessEndScheduler = new AccessEndScheduler(
    accessEnds,
    new AccessEndReminders(models, users, roles, outbox, settings, audit, clock, tx, config.publicUrl),
    new DirectoryLease(models, clock, LEASE_TTL_MS, tx),
    logger,
  );
  audit.observe('metrics', auditMetrics(metrics, tx));
  return {
    config, db, models, logger, clock, audit, settings, outbox, mailWorker, smsOutbox, smsWorker, phoneCodes, accountPhone: new AccountPhone(models, users, phoneCodes, audit, tx), roles, seats, users, setup, clients, signIn, revokers, secrets, cookieKeys, totp, passkeys, webSessions, signOutEverywhere, ownSessions, ownProviderSessions,
    invitations, emailConfirmations, registration, registrationSweeper: new RegistrationSweeper(registration, logger),
    scimTokens, connections, roleMembers,
    auditLog: new AuditLog(models, audit),
    passwordResets,
    runtime: { internalUrl: null },
    upstream: new UpstreamService(models, users, roles, seats, settings, registration, audit, secrets, clock, tx, signIn),
    // Admin users pages.
    userDirectory: new UserDirectory(models, db, clock),
    userOnboarding: new UserOnboarding(models, users, emailConfirmations, outbox, settings, audit, clock, tx, config.publicUrl),
    userHistory: new UserHistory(models),
    reactivationLinks: new ReactivationLinks(models, users, outbox, settings, audit, clock, tx, config.publicUrl),
    emailRestoreLinks: new EmailRestoreLinks(emailChanges, users, tx),
    directory,
    directoryState,
    metrics,
    webhooks,
    accessEnds,
    accessEndScheduler,
  };
}
