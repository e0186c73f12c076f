// Ends access at its end date and sends the reminders before it, on a timer that every
// Gatehouse process runs: a database lease lets exactly one process act at a time. Each
// tick works from what the database says is due at the clock's "now", so a process that
// was down over an end date catches up at its first tick (and sends only the reminder
// still useful). Each deactivation re-checks its account's date under the row lock.
import type { Logger } from '../logger.js';
import type { DirectoryLease } from '../directory/lease.js';
import type { AccessEndReminders } from './access-end-reminders.js';
import type { AccessEnds } from './access-ends.js';

export const ACCESS_END_TICK_MS = 60_000;
const LEASE_NAME = 'access-end-dates';
/** Accounts ended per batch; the lease is renewed between batches. */
const BATCH = 100;

export interface TickResult {
  /** False when another process held the lease. */
  ran: boolean;
  ended: number;
  reminded: number;
}

export class AccessEndScheduler {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly accessEnds: AccessEnds,
    private readonly reminders: AccessEndReminders,
    private readonly lease: DirectoryLease,
    private readonly logger: Logger,
  ) {}

  start(tickMs = ACCESS_END_TICK_MS): void {
    if (this.timer) return;
    const run = () => {
      this.inFlight = this.tick().catch((err) => this.logger.warn({ err }, 'access end date tick failed'));
    };
    this.timer = setInterval(run, tickMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** One pass, if this process gets the lease: end what is due, then remind. */
  async tick(): Promise<TickResult> {
    if (!(await this.lease.acquire(LEASE_NAME))) return { ran: false, ended: 0, reminded: 0 };
    let ended = 0;
    try {
      for (;;) {
        const due = await this.accessEnds.due(BATCH);
        let endedNow = 0;
        for (const id of due) if (await this.accessEnds.endIfDue(id)) endedNow++;
        ended += endedNow;
        // A batch that ended nothing (all moved meanwhile) would be read again: stop.
        if (due.length < BATCH || endedNow === 0 || !(await this.lease.renew(LEASE_NAME))) break;
      }
      const reminded = await this.reminders.sendDue();
      if (ended || reminded) this.logger.info({ ended, reminded }, 'access end dates: accounts deactivated and reminders sent');
      return { ran: true, ended, reminded };
    } finally {
      await this.lease.release(LEASE_NAME);
    }
  }
}
