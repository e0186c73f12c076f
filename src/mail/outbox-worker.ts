// Delivers the outbox: claims due messages with a conditional update (so several
// processes never send one message twice), sends, and on failure schedules a retry with
// exponential back-off. Nothing is dropped while SMTP is down: a message is only marked
// failed after MAX_ATTEMPTS (about a day of retrying at the default back-off).
import os from 'node:os';
import { Op } from 'sequelize';
import { addMs, type Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { Logger } from '../logger.js';
import type { Outbox } from './outbox.js';
import type { MailTransport } from './transport.js';

export interface OutboxWorkerOptions {
  from: string;
  pollMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  /** How long a claim protects a message from other workers. */
  claimMs?: number;
  batchSize?: number;
}

export class OutboxWorker {
  private readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly opts: Required<OutboxWorkerOptions>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeRequested = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: OutboxWorkerOptions,
  ) {
    this.opts = { pollMs: 1000, baseBackoffMs: 5_000, maxBackoffMs: 3_600_000, maxAttempts: 30, claimMs: 60_000, batchSize: 20, ...options };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.outbox.onEnqueued(() => this.wake());
    this.schedule(0);
  }

  /** Stops polling and waits for a delivery in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.logger.error({ err }, 'outbox worker pass failed'))
        .finally(() => {
          this.running = null;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : this.opts.pollMs);
        });
    }, ms);
  }

  /** One pass: deliver every due message. Returns how many were sent. */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.models.MailOutbox.findAll({
        attributes: ['id'],
        where: {
          status: 'pending',
          nextAttemptAt: { [Op.lte]: now },
          [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }],
        },
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
      if (!progressed || this.stopped) return sent;
    }
  }

  private async claim(id: number): Promise<boolean> {
    const now = this.clock.now();
    const [count] = await this.models.MailOutbox.update(
      { lockedBy: this.id, lockedUntil: addMs(now, this.opts.claimMs) },
      { where: { id, status: 'pending', [Op.or]: [{ lockedUntil: null }, { lockedUntil: { [Op.lt]: now } }] } },
    );
    return count === 1;
  }

  private async deliver(id: number): Promise<boolean> {
    const row = await this.models.MailOutbox.findByPk(id);
    if (!row) return false;
    try {
      await this.transport.send({ id, from: this.opts.from, to: row.toAddress, subject: row.subject, html: row.htmlBody, text: row.textBody });
      await this.models.MailOutbox.update(
        { status: 'sent', sentAt: this.clock.now(), attempts: row.attempts + 1, lockedUntil: null, lockedBy: null, lastError: null },
        { where: { id, lockedBy: this.id } },
      );
      this.logger.info({ mailId: id, template: row.template }, 'mail delivered');
      return true;
    } catch (err) {
      const attempts = row.attempts + 1;
      const failed = attempts >= this.opts.maxAttempts;
      const backoff = Math.min(this.opts.baseBackoffMs * 2 ** (attempts - 1), this.opts.maxBackoffMs);
      await this.models.MailOutbox.update(
        {
          status: failed ? 'failed' : 'pending',
          attempts,
          nextAttemptAt: addMs(this.clock.now(), backoff),
          lockedUntil: null,
          lockedBy: null,
          lastError: (err as Error).message.slice(0, 2000),
        },
        { where: { id, lockedBy: this.id } },
      );
      this.logger.warn({ mailId: id, attempts, retryInMs: failed ? null : backoff, reason: (err as Error).message }, failed ? 'mail delivery failed for good' : 'mail delivery failed, will retry');
      return false;
    }
  }
}
