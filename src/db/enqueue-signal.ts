// Tells a queue's worker that rows were added, once they are committed (or at once
// without a transaction), so it delivers them without waiting for its next poll.
import type { Context } from '../context.js';

export class EnqueueSignal {
  private readonly listeners = new Set<() => void>();

  afterCommit(ctx: Context): void {
    const wake = () => this.listeners.forEach((l) => l());
    if (ctx.transaction) ctx.transaction.afterCommit(wake);
    else wake();
  }

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
