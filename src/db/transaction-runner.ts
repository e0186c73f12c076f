// The one way services open a write transaction.
// - SQLite has one writer: write transactions are queued in-process and begin IMMEDIATE
//   (a measured pitfall: parallel Sequelize transactions otherwise fail with SQLITE_BUSY).
// - MySQL/MariaDB runs them under READ COMMITTED (set on each connection when it opens, in
//   database.ts), so a count taken after locking a row sees what others committed
//   (REPEATABLE READ would keep an older snapshot), and retries the whole unit of work
//   only when the server answers that it rolled the work back as a deadlock victim (1213):
//   during the work, or at COMMIT, where a Galera cluster reports a transaction that lost
//   certification to a conflicting write committed through another node. A single write
//   outside a transaction (plain SQL, sql.ts) is retried the same way. Anything else fails
//   at once: a lock wait or statement timeout means the database is struggling (more
//   attempts add load), and any other failure once COMMIT is on its way (a timeout, a
//   reset connection) leaves the outcome unknown (the work may have committed; doing it
//   again could apply it twice).
// A failure because the database is not answering (a timeout, a lost connection, SQLite's
// lock held past the busy timeout) leaves as DatabaseUnavailable (unavailable.ts): 503.
import { Transaction, type Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';
import type { Context } from '../context.js';
import type { Dialect } from './database-target.js';
import { translateDatabaseError } from './unavailable.js';

const ER_LOCK_DEADLOCK = 1213;
const MAX_ATTEMPTS = 5;

/** Told of every unit of work that failed and rolled back (after the rollback). */
export type FailureListener = (ctx: Context, err: unknown) => Promise<void>;

export class TransactionRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly failureListeners = new Map<string, FailureListener>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly dialect: Dialect,
    private readonly logger: Logger,
  ) {}

  /** Runs `work` in the context's transaction if it has one, else in a new one. */
  async run<T>(ctx: Context, work: (ctx: Context & { transaction: Transaction }) => Promise<T>): Promise<T> {
    if (ctx.transaction) return work(ctx as Context & { transaction: Transaction });
    try {
      return await this.runNew((transaction) => work({ ...ctx, transaction }));
    } catch (err) {
      for (const listener of this.failureListeners.values()) await listener(ctx, err).catch((e) => this.logger.error({ err: e }, 'failure listener failed'));
      throw translateDatabaseError(err);
    }
  }

  /**
   * Lets a service record what a refused change leaves behind (an audit event of the
   * refusal) outside the transaction that rolled back. One listener per name: wiring the
   * services again over the same database replaces it.
   */
  onFailure(name: string, listener: FailureListener): void {
    this.failureListeners.set(name, listener);
  }

  /** Registers a callback for after the transaction commits; dropped on rollback. */
  onCommit(transaction: Transaction, callback: () => void | Promise<void>): void {
    transaction.afterCommit(async () => {
      try {
        await callback();
      } catch (err) {
        this.logger.error({ err }, 'after-commit callback failed');
      }
    });
  }

  /**
   * A write made outside any transaction (plain SQL, sql.ts). SQLite: run in the same queue
   * as the write transactions, so it never waits on this process's own write lock while
   * holding a driver thread that the transaction holding the lock needs to finish. MySQL:
   * run again when the server answers 1213 — the statement was its own transaction, and the
   * server rolled it back.
   */
  queuedWrite<T>(write: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return this.retryDeadlocks(write, () => false);
    this.waiting++;
    const result = this.queue.then(() => {
      this.waiting--;
      return write();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** SQLite: writes waiting for this process's one writer (the metrics show it). */
  get queuedWrites(): number {
    return this.waiting;
  }

  private runNew<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.queuedWrite(() => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, (t) => work(t)));
    return this.runMysql(work);
  }

  private runMysql<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
    // Set once the work is done: Sequelize commits right after the callback resolves.
    let committing = false;
    return this.retryDeadlocks(
      () => {
        committing = false;
        return this.sequelize.transaction(async (t) => {
          const result = await work(t);
          committing = true;
          return result;
        });
      },
      () => committing,
    );
  }

  private async retryDeadlocks<T>(attemptOnce: () => Promise<T>, committing: () => boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (err) {
        // Sequelize wraps the driver's error; plain SQL (sql.ts) throws it as is.
        const errno = (err as { parent?: { errno?: number } }).parent?.errno ?? (err as { errno?: number }).errno;
        // An explicit deadlock answer is a known outcome — the server rolled the work back —
        // even at COMMIT, where Galera reports a lost certification; anything else failing
        // at COMMIT (a timeout, a reset) leaves the outcome unknown, so it is never retried.
        const deadlock = errno === ER_LOCK_DEADLOCK;
        if (committing() && !deadlock) this.logger.warn({ err }, 'transaction failed at COMMIT: outcome unknown, not retried');
        if (!deadlock || attempt >= MAX_ATTEMPTS) throw err;
        this.logger.debug({ attempt, errno, committing: committing() }, 'transaction lost a lock conflict or certification, retrying');
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20 * attempt));
      }
    }
  }
}
