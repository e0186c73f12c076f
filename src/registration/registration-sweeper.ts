// Runs the removal of expired unconfirmed self-registrations on a timer (removed when the
// 24-hour link expires, freeing the seat). Every process may run it: each removal
// re-checks the account under a row lock, so two sweepers never clash.
import { systemContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { RegistrationService } from './registration-service.js';

export class RegistrationSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly registration: RegistrationService,
    private readonly logger: Logger,
    private readonly intervalMs = 10 * 60_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; returns how many accounts were removed (0 while a pass is still running). */
  async runOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = this.registration
      .removeExpiredUnconfirmed(systemContext('system', 'registration cleanup'))
      .then((removed) => {
        if (removed) this.logger.info({ removed }, 'removed unconfirmed self-registrations whose link expired');
        return removed;
      })
      .catch((err) => {
        this.logger.error({ err }, 'registration cleanup failed');
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
