// The only module that reads the environment. Every key is documented where it is
// defined (the README's configuration table mirrors this list); a wrong value stops
// the start with a message naming the key and what it expects.
import path from 'node:path';
import { ConfigError, parsers, type Parser } from './parsers.js';
import { parseSmsFrom, parseSmsUrl, type SmsGatewayConfig } from './sms-gateway.js';
import type { DatabaseConfig, ListenAddress, TrustProxy } from './value-types.js';

export type { SmsGatewayConfig } from './sms-gateway.js';
export type { DatabaseConfig, ListenAddress, TrustProxy } from './value-types.js';

export { ConfigError } from './parsers.js';

export interface DatabaseTimeouts {
  statementMs: number;
  acquireMs: number;
}

/**
 * Where Prometheus metrics are served; both null means nowhere (`/metrics` answers 404).
 * The token guards `/metrics` on the main port; the listen address serves them without
 * authentication on an interface only the scraper reaches.
 */
export interface MetricsConfig {
  token: string | null;
  listen: ListenAddress | null;
}

export interface Config {
  /** TCP port the HTTP server listens on. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** The external base URL: the OIDC issuer and the base of every link in mail. */
  publicUrl: string;
  database: DatabaseConfig;
  /** How long start-up keeps retrying an unreachable database. */
  databaseConnectTimeoutMs: number;
  /**
   * Bounds on waiting for the database while serving: one statement's answer (MySQL) or
   * another process's write lock (SQLite), and a free pooled connection. Past them a
   * request answers 503 instead of hanging.
   */
  databaseTimeouts: DatabaseTimeouts;
  /** smtp:// or smtps:// URL; absent means mail is written as .eml files to mailDir. */
  smtpUrl: string | null;
  mailFrom: string;
  mailDir: string;
  /** Directory for runtime data (SQLite file, mail files). */
  varDir: string;
  /** Licence limits per seat pool; null means "not set by configuration". */
  seats: { user: number | null; requester: number | null };
  /** Keys for signing cookies (CSRF, sessions); generated and stored when empty. */
  cookieKeys: string[];
  /** 32-byte key (hex or base64) encrypting secrets at rest (LDAP bind password, upstream client secrets). */
  encryptionKey: string | null;
  /** Which X-Forwarded-* entries are believed (set behind a reverse proxy). */
  trustProxy: TrustProxy;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** JSON lines, pretty lines, or `auto`: pretty when stdout is a terminal. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Hours a first-start setup link stays valid. */
  setupTokenTtlHours: number;
  /** Whether the outbox worker runs in this process. */
  mailWorker: boolean;
  /** Whether the webhook delivery worker runs in this process. */
  webhookWorker: boolean;
  /**
   * Lets webhooks reach private, loopback and link-local addresses (and plain http on
   * loopback): development and tests only, never in production (server-side request forgery).
   */
  webhookAllowPrivateAddresses: boolean;
  /**
   * Text messages (phone verification codes): a gateway, or none, and then they are written
   * to smsDir and logged. The token and the gateway's credentials are never logged.
   */
  sms: { gateway: SmsGatewayConfig | null; from: string; webhookToken: string | null; dir: string; worker: boolean };
  /** Password of the LDAP sync's bind DN; when set it overrides the one stored on the directory settings page. */
  ldapBindPassword: string | null;
  /** Prometheus metrics: off unless a bearer token or a separate listen address is set. */
  metrics: MetricsConfig;
  /** Management API requests each application may send per minute in one process; 0: unlimited. */
  apiRateLimit: number;
}

type Env = Record<string, string | undefined>;

/** The keys fixing each seat pool's licence limit (named in messages refusing a change on the Seats page). */
export const SEAT_LIMIT_KEYS = { user: 'SEATS_USER', requester: 'SEATS_REQUESTER' } as const;

interface KeySpec<T> {
  key: string;
  parse: Parser<T>;
  fallback: (env: Env, partial: Partial<Config>) => T;
}

function spec<T>(key: string, parse: Parser<T>, fallback: (env: Env, partial: Partial<Config>) => T): KeySpec<T> {
  return { key, parse, fallback };
}

function read<T>(env: Env, s: KeySpec<T>, partial: Partial<Config>): T {
  const raw = env[s.key];
  if (raw === undefined || raw.trim() === '') return s.fallback(env, partial);
  return s.parse(s.key, raw.trim());
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/** Reads, validates and freezes the configuration. Throws ConfigError naming the bad key. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const c: Partial<Config> = {};
  c.varDir = read(env, spec('VAR_DIR', parsers.string, () => 'var'), c);
  c.port = read(env, spec('PORT', parsers.port, () => 3000), c);
  c.host = read(env, spec('HOST', parsers.string, () => '0.0.0.0'), c);
  c.publicUrl = read(env, spec('PUBLIC_URL', parsers.httpUrl, () => `http://localhost:${c.port}`), c);
  c.database = read(
    env,
    spec('DATABASE_URL', parsers.databaseUrl, () => parsers.databaseUrl('DATABASE_URL', `sqlite:${path.join(c.varDir!, 'gatehouse.sqlite')}`)),
    c,
  );
  c.databaseConnectTimeoutMs = read(env, spec('DATABASE_CONNECT_TIMEOUT_MS', parsers.nonNegativeInt, () => 30_000), c);
  c.databaseTimeouts = {
    statementMs: read(env, spec('DATABASE_STATEMENT_TIMEOUT_MS', parsers.positiveInt, () => 5_000), c),
    acquireMs: read(env, spec('DATABASE_ACQUIRE_TIMEOUT_MS', parsers.positiveInt, () => 5_000), c),
  };
  c.smtpUrl = read(env, spec<string | null>('SMTP_URL', parsers.smtpUrl, () => null), c);
  c.mailFrom = read(env, spec('MAIL_FROM', parsers.mailbox, () => 'Gatehouse <no-reply@localhost>'), c);
  c.mailDir = read(env, spec('MAIL_DIR', parsers.string, () => path.join(c.varDir!, 'mail')), c);
  c.seats = {
    user: read(env, spec<number | null>(SEAT_LIMIT_KEYS.user, parsers.nonNegativeInt, () => null), c),
    requester: read(env, spec<number | null>(SEAT_LIMIT_KEYS.requester, parsers.nonNegativeInt, () => null), c),
  };
  c.cookieKeys = read(env, spec('COOKIE_KEYS', parsers.secretList, () => [] as string[]), c);
  c.encryptionKey = read(env, spec<string | null>('ENCRYPTION_KEY', parsers.key32, () => null), c);
  c.trustProxy = read(env, spec<TrustProxy>('TRUST_PROXY', parsers.trustProxy, () => false), c);
  c.logLevel = read(env, spec('LOG_LEVEL', parsers.oneOf(LOG_LEVELS), () => 'info' as const), c);
  c.logFormat = read(env, spec('LOG_FORMAT', parsers.oneOf(LOG_FORMATS), () => 'auto' as const), c);
  c.setupTokenTtlHours = read(env, spec('SETUP_TOKEN_TTL_HOURS', parsers.positiveInt, () => 24), c);
  c.mailWorker = read(env, spec('MAIL_WORKER', parsers.boolean, () => true), c);
  c.webhookWorker = read(env, spec('WEBHOOK_WORKER', parsers.boolean, () => true), c);
  c.webhookAllowPrivateAddresses = read(env, spec('WEBHOOK_ALLOW_PRIVATE_ADDRESSES', parsers.boolean, () => false), c);
  c.sms = {
    gateway: read(env, spec<SmsGatewayConfig | null>('SMS_URL', parseSmsUrl, () => null), c),
    from: read(env, spec('SMS_FROM', parseSmsFrom, () => 'Gatehouse'), c),
    webhookToken: read(env, spec<string | null>('SMS_WEBHOOK_TOKEN', parsers.string, () => null), c),
    dir: read(env, spec('SMS_DIR', parsers.string, () => path.join(c.varDir!, 'sms')), c),
    worker: read(env, spec('SMS_WORKER', parsers.boolean, () => true), c),
  };
  c.ldapBindPassword = read(env, spec<string | null>('LDAP_BIND_PASSWORD', parsers.string, () => null), c);
  c.metrics = {
    token: read(env, spec<string | null>('METRICS_TOKEN', parsers.secret, () => null), c),
    listen: read(env, spec<ListenAddress | null>('METRICS_LISTEN', parsers.listenAddress, () => null), c),
  };
  c.apiRateLimit = read(env, spec('API_RATE_LIMIT', parsers.nonNegativeInt, () => 600), c);
  // Frozen all the way down: a service must not change a licence limit or the database at run time.
  Object.freeze(c.seats);
  if (c.sms.gateway) Object.freeze(c.sms.gateway);
  Object.freeze(c.sms);
  Object.freeze(c.database);
  Object.freeze(c.databaseTimeouts);
  Object.freeze(c.cookieKeys);
  if (c.metrics.listen) Object.freeze(c.metrics.listen);
  Object.freeze(c.metrics);
  if (Array.isArray(c.trustProxy)) Object.freeze(c.trustProxy);
  return Object.freeze(c as Config);
}
