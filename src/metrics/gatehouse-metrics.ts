// Prometheus metrics of one Gatehouse instance, in a registry of its own: several instances
// may live in one process (tests), and none of them touches prom-client's global registry.
// Counters are told of events where they happen (requests, audited sign-ins, SCIM calls,
// directory runs); gauges of state (seats, the mail outbox, the database pool) are read
// from their sources when Prometheus scrapes, so they cost nothing between scrapes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxBacklog } from '../mail/outbox.js';

export interface SeatGauge {
  pool: string;
  used: number;
  /** null: the pool is unlimited (no limit series is exported for it). */
  limit: number | null;
}


export interface PoolState {
  inUse: number;
  idle: number;
  waiting: number;
  max: number | null;
}

/** What the gauges read at scrape time. */
export interface MetricsSources {
  seats(): Promise<SeatGauge[]>;
  outbox(): Promise<OutboxBacklog>;
  pool(): PoolState;
  now(): Date;
}

/** Seconds; requests here are page renders, token calls and SCIM writes (tens of ms to a few s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class GatehouseMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request duration by route template (unmatched routes share one label) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly signIns = new Counter({
    name: 'gatehouse_signin_attempts_total',
    help: 'Sign-in attempts by outcome: success, wrong_password, unknown_account, throttled, locked, inactive, totp_failed',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly scimOperations = new Counter({
    name: 'gatehouse_scim_operations_total',
    help: 'SCIM requests by resource, method and status',
    labelNames: ['resource', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly directoryRuns = new Counter({
    name: 'gatehouse_directory_runs_total',
    help: 'LDAP syncs and CSV imports that ended, by kind (ldap, csv) and outcome (completed, failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly directoryRows = new Counter({
    name: 'gatehouse_directory_rows_total',
    help: 'Entries and lines handled by LDAP syncs and CSV imports, by kind and outcome (created, updated, unchanged, ...)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly collectFailures = new Counter({
    name: 'gatehouse_metrics_collect_failures_total',
    help: 'Scrapes whose reading of a state gauge failed (the gauge is left out of that scrape)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private processMetrics = false;

  constructor(private readonly sources: MetricsSources) {
    this.stateGauges();
  }

  /** Node's process metrics (CPU, memory, event loop, GC): only where metrics are served. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  private stateGauges(): void {
    const registers = [this.registry];
    const seatsUsed = new Gauge({ name: 'gatehouse_seats_in_use', help: 'Seats in use per pool (accounts unconfirmed or active, plus live invitations)', labelNames: ['pool'] as const, registers });
    const seatsLimit = new Gauge({ name: 'gatehouse_seats_limit', help: 'Seat limit per pool (absent while the pool is unlimited)', labelNames: ['pool'] as const, registers });
    this.readTogether('seats', [seatsUsed, seatsLimit], async () => {
      for (const p of await this.sources.seats()) {
        seatsUsed.set({ pool: p.pool }, p.used);
        if (p.limit !== null) seatsLimit.set({ pool: p.pool }, p.limit);
      }
    });

    const pending = new Gauge({ name: 'gatehouse_mail_outbox_pending', help: 'Messages waiting in the mail outbox', registers });
    const failed = new Gauge({ name: 'gatehouse_mail_outbox_failed', help: 'Messages the outbox gave up on', registers });
    const oldest = new Gauge({ name: 'gatehouse_mail_outbox_oldest_age_seconds', help: 'Age of the oldest waiting message (0 when none waits)', registers });
    this.readTogether('mail_outbox', [pending, failed, oldest], async () => {
      const backlog = await this.sources.outbox();
      pending.set(backlog.pending);
      failed.set(backlog.failed);
      oldest.set(backlog.oldestPendingAt ? Math.max(0, (this.sources.now().getTime() - backlog.oldestPendingAt.getTime()) / 1000) : 0);
    });

    const connections = new Gauge({ name: 'gatehouse_db_pool_connections', help: 'Database connections by state (in_use, idle)', labelNames: ['state'] as const, registers });
    const waiting = new Gauge({ name: 'gatehouse_db_pool_waiting', help: 'Requests waiting for a database connection (SQLite: write transactions queued for its one writer)', registers });
    // SQLite has no pool and so no size to show.
    const max = this.sources.pool().max === null ? null : new Gauge({ name: 'gatehouse_db_pool_max', help: 'Most connections the pool opens', registers });
    this.readTogether('db_pool', max ? [connections, waiting, max] : [connections, waiting], () => {
      const state = this.sources.pool();
      connections.set({ state: 'in_use' }, state.inUse);
      connections.set({ state: 'idle' }, state.idle);
      waiting.set(state.waiting);
      if (max && state.max !== null) max.set(state.max);
    });
  }

  /**
   * Gauges filled by one read of their source (one query) per scrape. prom-client asks every
   * metric at once, so each gauge's collect waits on the read already under way. A failing
   * read (the database is down) leaves the group out of that scrape rather than failing it:
   * the other metrics still tell what is happening, and the failure counter says what is missing.
   */
  private readTogether(source: string, gauges: Gauge<string>[], read: () => Promise<void> | void): void {
    let underWay: Promise<void> | null = null;
    const collect = () =>
      (underWay ??= (async () => {
        try {
          for (const g of gauges) g.reset();
          await read();
        } catch {
          for (const g of gauges) g.reset();
          this.collectFailures.inc({ source });
        } finally {
          underWay = null;
        }
      })());
    for (const g of gauges) Object.assign(g, { collect });
  }
}
