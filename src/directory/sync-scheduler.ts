// Runs the LDAP sync on its schedule. Every Gatehouse process runs this timer; the sync's
// lease lets exactly one of them run at a time, and a process that finds the last run
// recent enough (started within the interval, by any process) does nothing.
import type { Clock } from '../clock.js';
import { systemContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { LdapSettingsService } from './ldap-settings-service.js';
import { SyncAlreadyRunning, type LdapSyncService } from './ldap-sync-service.js';
import type { DirectoryRunService } from './sync-report.js';

export const TICK_MS = 60_000;

export interface RunningScheduler {
  stop(): Promise<void>;
}

export class LdapSyncScheduler {
  constructor(
    private readonly sync: LdapSyncService,
    private readonly settings: LdapSettingsService,
    private readonly runs: DirectoryRunService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts ticking; `stop` ends the timer and stops a run in flight between entries. */
  start(tickMs = TICK_MS): RunningScheduler {
    const abort = new AbortController();
    let inFlight: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      inFlight = this.tick(abort.signal).catch((err) => this.logger.warn({ err }, 'scheduled LDAP sync tick failed'));
    }, tickMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        abort.abort();
        await inFlight;
      },
    };
  }

  /** One look at the schedule: runs the sync when it is due. True when this tick ran it. */
  async tick(signal?: AbortSignal): Promise<boolean> {
    const view = await this.settings.get();
    const minutes = view.settings.intervalMinutes;
    if (!view.configured || minutes <= 0 || signal?.aborted) return false;
    const last = await this.runs.lastStarted('ldap');
    if (last?.startedAt && this.clock.now().getTime() - new Date(last.startedAt).getTime() < minutes * 60_000) return false;
    try {
      const run = await this.sync.run(systemContext('system', 'schedule'), { trigger: 'schedule', signal });
      this.logger.info({ runId: run.id, status: run.status, created: run.created, updated: run.updated, deactivated: run.deactivated, blocked: run.blocked, failed: run.failed }, 'scheduled LDAP sync finished');
      return true;
    } catch (err) {
      if (err instanceof SyncAlreadyRunning) return false;
      throw err;
    }
  }
}
