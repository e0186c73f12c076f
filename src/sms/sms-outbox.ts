// Callers enqueue a text message inside their own transaction, so it exists exactly when
// the change that caused it (a code stored) committed; the SMS worker sends it afterwards.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import { EnqueueSignal } from '../db/enqueue-signal.js';
import type { Models } from '../db/models.js';

export interface SmsMessage {
  template: string;
  body: string;
}

export class SmsOutbox {
  private readonly signal = new EnqueueSignal();

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async enqueue(ctx: Context, to: string, message: SmsMessage): Promise<number> {
    const now = this.clock.now();
    const row = await this.models.SmsOutbox.create(
      { toNumber: to, body: message.body, template: message.template, status: 'pending', nextAttemptAt: now, createdAt: now },
      { transaction: ctx.transaction },
    );
    this.signal.afterCommit(ctx);
    return row.id;
  }

  onEnqueued(listener: () => void): () => void {
    return this.signal.listen(listener);
  }
}
