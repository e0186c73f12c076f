// Runs a worker's pass now and then: every `pollMs`, and at once when woken (a row was
// committed to its queue). Passes never overlap: a wake during a pass runs the next one
// right after it. stop() waits for a pass in progress, so a shutdown never cuts a send short.
import type { Logger } from '../logger.js';

export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeRequested = false;
  private unsubscribe: (() => void) | null = null;
  /** True until started and again once stopped; a pass may end early when it turns true. */
  stopped = true;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly pollMs: number,
    private readonly logger: Logger,
    /** Names the worker in the log line of a failed pass. */
    private readonly name: string,
    /** Subscribes to hear of new work; returns the unsubscribe. */
    private readonly subscribe: (wake: () => void) => () => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.subscribe(() => this.wake());
    this.schedule(0);
  }

  /** Stops polling and waits for a pass in progress to finish. */
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
      this.running = this.pass()
        .then(() => undefined)
        .catch((err) => this.logger.error({ err }, `${this.name} pass failed`))
        .finally(() => {
          this.running = null;
          const again = this.wakeRequested;
          this.wakeRequested = false;
          this.schedule(again ? 0 : this.pollMs);
        });
    }, ms);
  }
}
