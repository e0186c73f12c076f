// Opens the database it is given (SQLite file or MySQL/MariaDB), retrying
// while it is not reachable yet, and offers the one way to run a write transaction.
import fs from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction } from 'sequelize';
import type { DatabaseTarget, DatabaseTimeouts, Dialect } from './database-target.js';
import type { Logger } from '../logger.js';
import { Unavailable } from '../errors.js';
import { TransactionRunner } from './transaction-runner.js';
import { createSql, type Sql } from './sql.js';
import { connectToFirstReadyHost, readYourWrites } from './cluster-connect.js';
import { boundStatements, withoutStatementTimeout } from './statement-timeout.js';
import { reuseSqliteTransactionConnections } from './sqlite-connection-reuse.js';

export type { DatabaseTarget, DatabaseTimeouts, Dialect } from './database-target.js';

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  transactions: TransactionRunner;
  /** Plain SQL for the hot paths (sql.ts). */
  sql: Sql;
  /** Runs `work` with no statement timeout (migrations: a schema change may take minutes). */
  unbounded<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The bounds used when the caller gives none (the same as the configuration's defaults). */
export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { statementMs: 5_000, acquireMs: 5_000 };

function createSequelize(target: DatabaseTarget, logger: Logger, timeouts: DatabaseTimeouts): Sequelize {
  // Only when SQL tracing is on: Sequelize builds each logged statement's text otherwise too.
  const logging = logger.isLevelEnabled('trace') ? (sql: string) => logger.trace({ sql }, 'sql') : false;
  if (target.dialect === 'sqlite') {
    fs.mkdirSync(path.dirname(path.resolve(target.storage)), { recursive: true });
    // Sequelize by default repeats a statement 5 times on SQLITE_BUSY, each after a full busy
    // timeout: one wait is the bound.
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: target.storage, logging, retry: { max: 1 } });
    configureSqliteConnections(sequelize, timeouts.statementMs);
    reuseSqliteTransactionConnections(sequelize);
    frameTransactionsDirectly(sequelize, 'sqlite');
    return sequelize;
  }
  // Several hosts: Sequelize is given the first, and each new connection picks its host.
  const sequelize = new Sequelize(withOneHost(target.url, target.hosts[0]!), {
    dialect: 'mysql',
    logging,
    timezone: '+00:00',
    // A request waits at most `acquire` for a connection (all busy, or the server not
    // accepting new ones) and then answers 503 rather than queueing without end.
    pool: { max: 10, min: 0, idle: 10_000, acquire: timeouts.acquireMs },
    dialectOptions: { charset: 'utf8mb4', dateStrings: false, connectTimeout: Math.min(5_000, timeouts.acquireMs) },
    define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
  });
  // The lock wait bound is the server's side of the statement timeout: a statement waiting
  // for a row lock ends there with 1205 and its transaction rolls back, releasing its locks,
  // where a connection the client dropped would hold them until InnoDB's 50 s default.
  const lockWaitSeconds = Math.max(1, Math.floor(timeouts.statementMs / 1000));
  // Both, and READ COMMITTED for every transaction (see transaction-runner.ts), set once per
  // pooled connection rather than by a SET statement before each transaction.
  sequelize.addHook('afterConnect', async (connection) => {
    boundStatements(connection as Parameters<typeof boundStatements>[0], timeouts.statementMs);
    const session = (connection as { promise(): { query(sql: string): Promise<unknown> } }).promise();
    await session.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${MYSQL_ISOLATION}`);
    await session.query(`SET SESSION innodb_lock_wait_timeout = ${lockWaitSeconds}`);
    await readYourWrites(connection as Parameters<typeof readYourWrites>[0]);
  });
  connectToFirstReadyHost(sequelize, target.hosts, logger);
  frameTransactionsDirectly(sequelize, 'mysql');
  return sequelize;
}

/** The URL with its host list replaced by one host. */
function withOneHost(url: string, host: { host: string; port: number }): string {
  return url.replace(/^(mysql:\/\/(?:[^@/]*@)?)[^/?#@]*/, `$1${host.host.includes(':') ? `[${host.host}]` : host.host}:${host.port}`);
}

export const MYSQL_ISOLATION = 'READ COMMITTED';

/**
 * START TRANSACTION (SQLite: BEGIN IMMEDIATE), COMMIT and ROLLBACK sent straight on the
 * transaction's connection. Through Sequelize's query pipeline each costs as much CPU as a
 * statement it frames, and every write unit of work has two (bench:scim). Savepoints
 * (nested transactions) keep Sequelize's own path.
 */
function frameTransactionsDirectly(sequelize: Sequelize, dialect: Dialect): void {
  type Connection = { query(sql: string, cb: (err: Error | null) => void): void; exec(sql: string, cb: (err: Error | null) => void): void; _closing?: boolean; _fatalError?: unknown };
  type Tx = Transaction & { parent?: Transaction; connection: Connection; finished?: string };
  const qi = sequelize.getQueryInterface() as unknown as Record<'startTransaction' | 'commitTransaction' | 'rollbackTransaction', (t: Tx, o?: object) => Promise<unknown>> & {
    queryGenerator: { startTransactionQuery(t: Tx): string };
  };
  const sequelizePath = { start: qi.startTransaction.bind(qi), commit: qi.commitTransaction.bind(qi), rollback: qi.rollbackTransaction.bind(qi) };
  const send = (t: Tx, sql: string) =>
    new Promise<void>((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(err) : resolve());
      if (dialect === 'sqlite') t.connection.exec(sql, done);
      else t.connection.query(sql, done);
    });
  qi.startTransaction = (t, o) => (t.parent ? sequelizePath.start(t, o) : send(t, dialect === 'sqlite' ? qi.queryGenerator.startTransactionQuery(t) : 'START TRANSACTION'));
  qi.commitTransaction = (t, o) => {
    if (t.parent) return sequelizePath.commit(t, o);
    const sent = send(t, 'COMMIT');
    t.finished = 'commit';
    return sent;
  };
  qi.rollbackTransaction = (t, o) => {
    if (t.parent) return sequelizePath.rollback(t, o);
    // A connection already closed (a statement timed out, the server went away) took its
    // transaction with it: the server rolls back, and the pool drops the connection.
    const sent = t.connection._closing || t.connection._fatalError ? Promise.resolve() : send(t, 'ROLLBACK');
    t.finished = 'rollback';
    return sent;
  };
}

// Sequelize opens one SQLite connection per transaction; each needs a busy timeout so a
// reader never fails at once on another connection's write lock, and a bounded one so a
// lock another process keeps (a stuck CLI, a backup) fails the request with SQLITE_BUSY
// (503) instead of holding it.
function configureSqliteConnections(sequelize: Sequelize, busyTimeoutMs: number): void {
  const manager = (sequelize as unknown as { connectionManager: { getConnection: (o?: unknown) => Promise<unknown> } }).connectionManager;
  const configured = new WeakSet<object>();
  const original = manager.getConnection.bind(manager);
  manager.getConnection = async (options?: unknown) => {
    const connection = (await original(options)) as { configure(option: 'busyTimeout', ms: number): void };
    if (!configured.has(connection)) {
      connection.configure('busyTimeout', busyTimeoutMs);
      configured.add(connection);
    }
    return connection;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Connects, retrying with back-off until `timeoutMs` has passed; then fails clearly.
 * `timeouts` bound every later wait on the database.
 */
export async function openDatabase(target: DatabaseTarget, logger: Logger, timeoutMs: number, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS): Promise<Database> {
  const sequelize = createSequelize(target, logger, timeouts);
  const deadline = Date.now() + timeoutMs;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await sequelize.authenticate({ logging: false });
      break;
    } catch (err) {
      const reason = (err as Error).message;
      if (Date.now() + delay > deadline) {
        await sequelize.close().catch(() => undefined);
        throw new Unavailable(`Database not reachable at ${redactUrl(target.url)} after ${attempt} attempt(s): ${reason}`);
      }
      logger.warn({ attempt, retryInMs: delay, reason }, 'database not reachable yet, retrying');
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
  if (target.dialect === 'sqlite') {
    // WAL lets readers proceed while the one writer writes; the setting is kept in the file.
    await sequelize.query('PRAGMA journal_mode=WAL');
  }
  const dialect = target.dialect;
  const transactions = new TransactionRunner(sequelize, dialect, logger);
  return {
    sequelize,
    dialect,
    transactions,
    sql: createSql(sequelize, dialect, transactions),
    unbounded: withoutStatementTimeout,
    close: () => sequelize.close(),
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export { Transaction };
