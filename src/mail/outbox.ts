// Callers enqueue mail inside their own transaction, so a message exists exactly when the
// change that caused it committed; the worker delivers it afterwards.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { MailMessage } from './mail-message.js';
import { sqlDate } from '../db/sql.js';
import { EnqueueSignal } from '../db/enqueue-signal.js';

export interface OutboxBacklog {
  pending: number;
  failed: number;
  oldestPendingAt: Date | null;
}

/**
 * Rows per multi-row INSERT: each message carries an HTML and a text body of a few KB, so
 * 200 stay far below MySQL's max_allowed_packet (16 MB on MariaDB 10.11) and SQLite's limits.
 */
const INSERT_CHUNK = 200;

export class Outbox {
  private readonly signal = new EnqueueSignal();

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async enqueue(ctx: Context, to: string, message: MailMessage): Promise<number> {
    const row = await this.models.MailOutbox.create(this.rowOf(to, message, this.clock.now()), { transaction: ctx.transaction });
    this.signal.afterCommit(ctx);
    return row.id;
  }

  /**
   * Many messages in one multi-row insert per chunk (bulk invitations): one round trip
   * instead of one per message, in the caller's transaction like `enqueue`.
   */
  async enqueueMany(ctx: Context, messages: ReadonlyArray<{ to: string; message: MailMessage }>): Promise<void> {
    if (!messages.length) return;
    const now = this.clock.now();
    for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
      const rows = messages.slice(i, i + INSERT_CHUNK).map((m) => this.rowOf(m.to, m.message, now));
      await this.models.MailOutbox.bulkCreate(rows, { transaction: ctx.transaction });
    }
    this.signal.afterCommit(ctx);
  }

  /** Messages waiting and given up on, and when the oldest waiting one was enqueued (metrics). */
  async backlog(): Promise<OutboxBacklog> {
    const rows = await this.models.sql.select<{ status: string; n: number | string; oldest: Date | string | null }>(
      "SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM mail_outbox WHERE status IN ('pending', 'failed') GROUP BY status",
      [],
    );
    const of = (status: string) => rows.find((r) => r.status === status);
    return { pending: Number(of('pending')?.n ?? 0), failed: Number(of('failed')?.n ?? 0), oldestPendingAt: sqlDate(of('pending')?.oldest) };
  }

  private rowOf(to: string, message: MailMessage, now: Date) {
    return {
      toAddress: to,
      subject: message.subject.slice(0, 500),
      htmlBody: message.html,
      textBody: message.text,
      template: message.template,
      status: 'pending' as const,
      nextAttemptAt: now,
      createdAt: now,
    };
  }

  /** The worker subscribes to hear about new mail without waiting for its next poll. */
  onEnqueued(listener: () => void): () => void {
    return this.signal.listen(listener);
  }
}
