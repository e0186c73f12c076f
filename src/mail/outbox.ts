// Callers enqueue mail inside their own transaction, so a message exists exactly when the
// change that caused it committed; the worker delivers it afterwards.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { MailMessage } from './mail-message.js';

export class Outbox {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async enqueue(ctx: Context, to: string, message: MailMessage): Promise<number> {
    const now = this.clock.now();
    const row = await this.models.MailOutbox.create(
      {
        toAddress: to,
        subject: message.subject.slice(0, 500),
        htmlBody: message.html,
        textBody: message.text,
        template: message.template,
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      },
      { transaction: ctx.transaction },
    );
    const wake = () => this.listeners.forEach((l) => l());
    if (ctx.transaction) ctx.transaction.afterCommit(wake);
    else wake();
    return row.id;
  }

  /** The worker subscribes to hear about new mail without waiting for its next poll. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
