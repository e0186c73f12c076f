// Which failures mean "the database is not answering" rather than "this statement is
// wrong": they become DatabaseUnavailable (503) at the edges, never a 500. Sequelize wraps
// the driver's error (in `parent`); plain SQL (sql.ts) throws it as is.
import { ConnectionError, TimeoutError } from 'sequelize';
import { DatabaseUnavailable } from '../errors.js';
import { STATEMENT_TIMEOUT } from './statement-timeout.js';
import { ER_WSREP_NOT_READY } from './cluster-connect.js';

const UNAVAILABLE_CODES = new Set([
  STATEMENT_TIMEOUT,
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  // SQLite: another process kept the write lock past the busy timeout.
  'SQLITE_BUSY',
]);
const ER_LOCK_WAIT_TIMEOUT = 1205;

function driverError(err: unknown): { code?: string; errno?: number; fatal?: boolean } | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { parent?: object; original?: object };
  return (e.parent ?? e.original ?? err) as { code?: string; errno?: number; fatal?: boolean };
}

export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof DatabaseUnavailable) return true;
  // Pool acquire timeouts, refused or lost connections; SQLITE_BUSY.
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  const driver = driverError(err);
  if (!driver) return false;
  // mysql2 marks every error that ends the connection as fatal (a reset, a closed socket).
  return (driver.code !== undefined && UNAVAILABLE_CODES.has(driver.code)) || driver.errno === ER_LOCK_WAIT_TIMEOUT || driver.errno === ER_WSREP_NOT_READY || driver.fatal === true;
}

/** The error as the domain reports it: DatabaseUnavailable when the database is not answering. */
export function translateDatabaseError(err: unknown): unknown {
  if (err instanceof DatabaseUnavailable || !isDatabaseUnavailable(err)) return err;
  return new DatabaseUnavailable(err);
}
