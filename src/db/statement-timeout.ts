// A bound on every MySQL statement. mysql2 waits for an answer forever while the socket
// stays open, so a stalled server (a stopped process, a black-holed network) would hold
// the request and its pooled connection indefinitely. After the bound the statement fails
// and its connection is destroyed: its protocol state is unknown (a late answer would be
// read as the next statement's), and the pool opens fresh ones once the server answers.
// Migrations run unbounded (`withoutStatementTimeout`): a schema change may take minutes.
import { AsyncLocalStorage } from 'node:async_hooks';

export const STATEMENT_TIMEOUT = 'GATEHOUSE_STATEMENT_TIMEOUT';

export class StatementTimeout extends Error {
  readonly code = STATEMENT_TIMEOUT;
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms`);
    this.name = 'StatementTimeout';
  }
}

const unbounded = new AsyncLocalStorage<true>();

export function withoutStatementTimeout<T>(work: () => Promise<T>): Promise<T> {
  return unbounded.run(true, work);
}

type Callback = (err: unknown, ...results: unknown[]) => void;
interface DriverConnection {
  query(...args: unknown[]): unknown;
  execute(...args: unknown[]): unknown;
  destroy(): void;
  stream?: { destroy(): void };
}

/** Wraps the connection's query and execute (every statement Sequelize, sql.ts and the transaction framing send). */
export function boundStatements(connection: DriverConnection, timeoutMs: number): void {
  for (const method of ['query', 'execute'] as const) {
    const send = connection[method].bind(connection);
    connection[method] = (...args: unknown[]) => {
      const at = args.findIndex((a) => typeof a === 'function');
      if (at < 0 || unbounded.getStore()) return send(...args);
      const callback = args[at] as Callback;
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        connection.destroy();
        connection.stream?.destroy();
        callback(new StatementTimeout(timeoutMs));
      }, timeoutMs);
      args[at] = ((err, ...results) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(err, ...results);
      }) satisfies Callback;
      return send(...args);
    };
  }
}
