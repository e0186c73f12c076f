// The LDAP sync: on demand or on a schedule, one runner at a time
// across processes (a database lease). A run counts the entries, reads the mapped groups,
// then applies the entries in directory order page by page — each entry in its own
// transaction, seats taken in that order so those within the limit are created and the
// rest reported one by one — and finally, if enabled, deactivates the accounts whose entry
// is gone. Every change is audited by the users service with the sync as actor; the run's
// report (counters and row messages) is kept and its end audited too.
import type { Clock } from '../clock.js';
import { systemActor, type Context } from '../context.js';
import { BUILTIN_CONNECTIONS } from '../connections/connection-service.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { RoleService } from '../roles/role-service.js';
import { authorize } from '../roles/authorize.js';
import { applyInOrder, type RowOutcome } from '../batch.js';
import { LEASE_TTL_MS, type DirectoryLease } from './lease.js';
import { DirectoryError, LdapSession, type LdapClientOptions } from './ldap-client.js';
import { mapEntry, mappedGroups, requestedAttributes, type GroupIndex } from './ldap-mapping.js';
import { normalizeDn } from './ldap-settings.js';
import type { LdapSettingsService } from './ldap-settings-service.js';
import type { EntryResult, KnownAccount, LdapEntryWriter } from './ldap-entry-writer.js';
import type { RunTrigger } from './directory-models.js';
import { emptyCounters, type Counters, type DirectoryRunService, type RowRecord, type RunView } from './sync-report.js';

export const SYNC_LEASE = 'ldap-sync';
/** The actor every change of a sync is audited under (the sync as actor). */
export const SYNC_ACTOR_LABEL = 'LDAP sync';

export class SyncAlreadyRunning extends DomainError {
  constructor(since: Date | null) {
    super('sync_running', `A directory sync is already running${since ? ` (since ${since.toISOString()})` : ''}. Wait for it to finish, then look at its report.`, 409);
  }
}

class RunStopped extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface SyncProgress {
  phase: 'counting' | 'syncing' | 'deactivating' | 'done';
  processed: number;
  total: number;
  counters: Counters;
}

export interface SyncOptions {
  trigger: RunTrigger;
  onProgress?: (p: SyncProgress) => void;
  /** Stops the run between entries (shutdown); the run ends as interrupted. */
  signal?: AbortSignal;
}

export function syncContext(): Context {
  return { actor: systemActor(SYNC_ACTOR_LABEL), source: 'ldap', ip: null, connectionId: BUILTIN_CONNECTIONS.ldap.id };
}

export class LdapSyncService {
  constructor(
    private readonly writer: LdapEntryWriter,
    private readonly settings: LdapSettingsService,
    private readonly roles: RoleService,
    private readonly runs: DirectoryRunService,
    private readonly lease: DirectoryLease,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly clientOptions: LdapClientOptions = {},
  ) {}

  /** Runs a sync to its end and returns its report. */
  async run(requester: Context, options: SyncOptions): Promise<RunView> {
    return (await this.start(requester, options)).done;
  }

  /**
   * Takes the lease and records the run, then works on in `done` (the page redirects to the
   * report at once). Throws SyncAlreadyRunning while another runner holds the lease.
   */
  async start(requester: Context, options: SyncOptions): Promise<{ runId: string; done: Promise<RunView> }> {
    authorize(requester.actor, 'directory.manage');
    if (!(await this.lease.acquire(SYNC_LEASE))) throw new SyncAlreadyRunning((await this.lease.current(SYNC_LEASE))?.acquiredAt ?? null);
    let runId: string;
    try {
      // Holding the lease, no other runner is alive: runs still marked running were killed.
      await this.runs.markInterrupted('ldap');
      runId = await this.runs.create({ kind: 'ldap', status: 'running', trigger: options.trigger, actorLabel: requester.actor.label, createdBy: requester.actor.userId });
    } catch (err) {
      await this.lease.release(SYNC_LEASE);
      throw err;
    }
    const done = this.work(runId, options).finally(() => this.lease.release(SYNC_LEASE).catch((err) => this.logger.warn({ err }, 'releasing the sync lease failed')));
    return { runId, done };
  }

  private async work(runId: string, options: SyncOptions): Promise<RunView> {
    const ctx = syncContext();
    const counters = emptyCounters();
    const warnings: string[] = [];
    let processed = 0;
    let total = 0;
    let seq = 0;
    let pending: RowRecord[] = [];
    const report = (phase: SyncProgress['phase']) => options.onProgress?.({ phase, processed, total, counters: { ...counters } });
    // The lease is renewed on a timer too, so a slow page of entries cannot outlive it.
    let leaseLost = false;
    const renewal = setInterval(() => {
      this.lease.renew(SYNC_LEASE).then((ours) => (leaseLost ||= !ours)).catch((err) => this.logger.warn({ err }, 'renewing the sync lease failed'));
    }, LEASE_TTL_MS / 3);
    renewal.unref();
    const flush = async () => {
      const rows = pending;
      pending = [];
      await this.runs.progress(runId, { rows, counters, processed, total, nextSeq: seq - rows.length });
      if (leaseLost || !(await this.lease.renew(SYNC_LEASE))) throw new RunStopped('Another process took over the sync lease; this run stopped.');
      if (options.signal?.aborted) throw new RunStopped('The sync was stopped (Gatehouse shut down); run it again to finish.');
    };
    const record = (position: number, outcome: string, label: string | null, message: string | null) => {
      pending.push({ position, phase: 'result', outcome, label, message });
      seq++;
    };
    let session: LdapSession | null = null;
    try {
      const view = await this.settings.get();
      if (!view.configured) throw new DirectoryError('The LDAP sync is not set up yet: enter the directory URL and base DN in the directory settings.');
      const s = view.settings;
      session = await LdapSession.open(s, await this.settings.secret(), this.clientOptions);

      report('counting');
      for await (const page of session.pages({ baseDn: s.baseDn, filter: s.filter, attributes: ['1.1'] }, s)) total += page.length;
      await this.runs.progress(runId, { total });

      const groups: GroupIndex = new Map();
      for (const groupDn of mappedGroups(s)) {
        const members = await session.groupMembers(groupDn, s);
        if (members === null) warnings.push(`The group ${groupDn} was not found in the directory: nobody gets what it maps to.`);
        groups.set(normalizeDn(groupDn), new Set((members ?? []).map(normalizeDn)));
      }
      const roleIds = new Set((await this.roles.list()).map((r) => r.id));
      const gone = s.groupRoles.filter((g) => !roleIds.has(g.roleId));
      if (gone.length) warnings.push(`The role mapped from ${gone.map((g) => g.groupDn).join(', ')} no longer exists: update the group mapping.`);
      const settings = { ...s, groupRoles: s.groupRoles.filter((g) => roleIds.has(g.roleId)) };
      const managedRoleIds = new Set(settings.groupRoles.map((g) => g.roleId));

      const known = await this.writer.loadKnown();
      const seen = new Set<string>();
      const { attributes, binary } = requestedAttributes(settings);
      report('syncing');
      let position = 0;
      for await (const page of session.pages({ baseDn: s.baseDn, filter: s.filter, attributes, binaryAttributes: binary }, s)) {
        const mapped = page.map((entry) => mapEntry(entry, settings, groups));
        const outcomes = await applyInOrder(mapped, (entry) => this.writer.apply(ctx, entry, managedRoleIds, known, seen), () => {
          processed++;
          report('syncing');
        });
        outcomes.forEach((o, i) => this.count(o, mapped[i]!.label, ++position, counters, record, runId));
        await flush();
      }
      if (position > total) total = position;

      if (s.deactivateMissing) {
        const missing = known.all.filter((a) => !seen.has(a.id) && !known.ambiguous.has(a.id) && a.status === 'active');
        if (position === 0 && missing.length) {
          warnings.push(`The directory returned no entries, so none of the ${missing.length} synced accounts was deactivated. Check the base DN and filter.`);
        } else {
          report('deactivating');
          for (let i = 0; i < missing.length; i += 200) {
            const slice: KnownAccount[] = missing.slice(i, i + 200);
            // Reports name them by address, else (an account without one) by id.
            const labelOf = (account: KnownAccount) => account.email ?? account.id;
            const outcomes = await applyInOrder(slice, (account) => this.writer.deactivateMissing(ctx, account, labelOf(account)));
            outcomes.forEach((o, j) => this.count(o, labelOf(slice[j]!), 0, counters, record, runId));
            await flush();
          }
        }
      }
      if (counters.blocked) warnings.push(`${counters.blocked} new ${counters.blocked === 1 ? 'account was' : 'accounts were'} not created: the seat limit is reached. Existing accounts were updated.`);
      await flush();
      await this.runs.finish(runId, 'completed', { warnings, counters, processed });
      await this.audit.record(ctx, 'directory.sync_completed', { runId, trigger: options.trigger, ...counters, warnings: warnings.length });
      report('done');
    } catch (err) {
      const stopped = err instanceof RunStopped;
      const message = stopped ? err.reason : err instanceof DirectoryError ? err.message : 'The sync failed unexpectedly; see the server log.';
      if (!stopped && !(err instanceof DirectoryError)) this.logger.error({ err, runId }, 'LDAP sync failed');
      await this.runs.progress(runId, { rows: pending, counters, processed, total, nextSeq: seq - pending.length }).catch(() => undefined);
      await this.runs.finish(runId, stopped ? 'interrupted' : 'failed', { message, warnings, counters, processed });
      await this.audit.record(ctx, 'directory.sync_failed', { runId, trigger: options.trigger, message, ...counters });
    } finally {
      clearInterval(renewal);
      await session?.close();
    }
    return this.runs.get(runId);
  }

  private count(o: RowOutcome<EntryResult>, fallbackLabel: string, position: number, counters: Counters, record: (p: number, outcome: string, label: string | null, message: string | null) => void, runId: string): void {
    if (o.ok) {
      counters[o.value.outcome]++;
      if (o.value.outcome !== 'unchanged') record(position, o.value.outcome, o.value.label, o.value.message);
      return;
    }
    if (o.code === 'seat_limit_reached') {
      counters.blocked++;
      record(position, 'blocked', fallbackLabel, o.message);
    } else {
      counters.failed++;
      if (o.error) this.logger.error({ err: o.error, runId, entry: fallbackLabel }, 'LDAP sync entry failed');
      record(position, 'failed', fallbackLabel, o.fields ? Object.values(o.fields).join(' ') : o.message);
    }
  }
}
