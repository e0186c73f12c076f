// Delivers a queue table (the mail and SMS outboxes): claims due rows with a conditional
// update (so several processes never send one row twice), sends, and on failure schedules
// a retry with exponential back-off. Nothing is dropped while the far end is down: a row is
// only marked failed after maxAttempts (about a day of retrying at the default back-off).
import os from 'node:os';
import { DataTypes, Op } from 'sequelize';
import { addMs, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Table } from './model-types.js';
import { PollingLoop } from './polling-loop.js';

/** The columns every queue table shares (migrations/001-foundation.ts mail_outbox's shape). */
export interface QueuedRow {
  id: number;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  sentAt: Date | null;
}

/** The model columns of QueuedRow, shared by every queue table's model. */
export const QUEUE_COLUMNS = {
  status: { type: DataTypes.STRING(16), allowNull: false },
  attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
  lockedUntil: { type: DataTypes.DATE(3), allowNull: true },
  lockedBy: { type: DataTypes.STRING(64), allowNull: true },
  lastError: { type: DataTypes.TEXT, allowNull: true },
  createdAt: { type: DataTypes.DATE(3), allowNull: false },
  sentAt: { type: DataTypes.DATE(3), allowNull: true },
} as const;

export interface QueueWorkerOptions {
  pollMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  /** How long a claim protects a row from other workers. */
  claimMs?: number;
  batchSize?: number;
}

/** What one queue sends and how its log lines name a row. */
export interface QueueDelivery<R extends QueuedRow> {
  /** "mail" or "sms": the log lines' first word. */
  kind: string;
  send(row: R): Promise<void>;
  /** Fields identifying the row in the log (never a secret or a code). */
  describe(row: R): Record<string, unknown>;
  /** Columns to change once sent (a text message's one-time code need not be kept). */
  sentColumns?(row: R): Partial<R>;
  /** Subscribes to hear of rows committed to the queue, so they go out before the next poll. */
  onEnqueued(listener: () => void): () => void;
}

export class QueueWorker<R extends QueuedRow> {
  private readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly loop: PollingLoop;
  private readonly opts: Required<QueueWorkerOptions>;

  constructor(
    private readonly table: Table<R, never>,
    private readonly delivery: QueueDelivery<R>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: QueueWorkerOptions,
  ) {
    this.opts = { pollMs: 1000, baseBackoffMs: 5_000, maxBackoffMs: 3_600_000, maxAttempts: 30, claimMs: 60_000, batchSize: 20, ...options };
    this.loop = new PollingLoop(() => this.runOnce(), this.opts.pollMs, logger, `${delivery.kind} outbox worker`, (wake) => delivery.onEnqueued(wake));
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for a pass in progress to finish. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** One pass: deliver every due row. Returns how many were sent. */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.table.findAll({
        attributes: ['id'],
        where: {
          status: 'pending',
          nextAttemptAt: { [Op.lte]: now },
          [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }],
        } as never,
        order: [['id', 'ASC']],
        limit: this.opts.batchSize,
      });
      if (due.length === 0) return sent;
      let progressed = false;
      for (const { id } of due) {
        if (await this.claim(id)) {
          progressed = true;
          if (await this.deliver(id)) sent++;
        }
      }
      if (!progressed || this.loop.stopped) return sent;
    }
  }

  private async claim(id: number): Promise<boolean> {
    const now = this.clock.now();
    const [count] = await this.table.update(
      { lockedBy: this.id, lockedUntil: addMs(now, this.opts.claimMs) } as never,
      { where: { id, status: 'pending', [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] } as never },
    );
    return count === 1;
  }

  private async deliver(id: number): Promise<boolean> {
    const found = await this.table.findByPk(id);
    if (!found) return false;
    const row = found.get({ plain: true }) as R;
    const mine = { where: { id, lockedBy: this.id } as never };
    try {
      await this.delivery.send(row);
      await this.table.update({ ...this.delivery.sentColumns?.(row), status: 'sent', sentAt: this.clock.now(), attempts: row.attempts + 1, lockedUntil: null, lockedBy: null, lastError: null } as never, mine);
      this.logger.info(this.delivery.describe(row), `${this.delivery.kind} delivered`);
      return true;
    } catch (err) {
      const attempts = row.attempts + 1;
      const failed = attempts >= this.opts.maxAttempts;
      const backoff = Math.min(this.opts.baseBackoffMs * 2 ** (attempts - 1), this.opts.maxBackoffMs);
      await this.table.update(
        {
          status: failed ? 'failed' : 'pending',
          attempts,
          nextAttemptAt: addMs(this.clock.now(), backoff),
          lockedUntil: null,
          lockedBy: null,
          lastError: (err as Error).message.slice(0, 2000),
        } as never,
        mine,
      );
      const kind = this.delivery.kind;
      this.logger.warn({ ...this.delivery.describe(row), attempts, retryInMs: failed ? null : backoff, reason: (err as Error).message }, failed ? `${kind} delivery failed for good` : `${kind} delivery failed, will retry`);
      return false;
    }
  }
}
