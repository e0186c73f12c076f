// Writes audit events in the caller's transaction: who (actor), from where (source, ip,
// request id), what (action, target) and the details, at the application clock's time.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { Statement } from '../db/sql.js';
import type { AuditAction } from './audit-actions.js';

export interface AuditTarget {
  type: 'user' | 'role' | 'invitation' | 'seat_pool' | 'setting' | 'client' | 'scim_token' | 'webhook';
  id: string;
  /** Kept so the trail stays readable after the target is deleted. */
  label?: string;
}

/** One event for `recordMany`. */
export interface AuditEventInput {
  action: AuditAction;
  details?: Record<string, unknown>;
  target?: AuditTarget;
}

/** Rows per multi-row INSERT (details are small JSON). */
const INSERT_CHUNK = 500;

export interface AuditEventView {
  id: number;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  actorLabel: string;
  source: string;
  ip: string | null;
  target: { type: string; id: string; label: string | null } | null;
  details: Record<string, unknown>;
}

/**
 * Told of every event as it is recorded, in the same transaction: a service that reacts to
 * changes made elsewhere (SCIM tokens to their creator's permissions) without the services
 * making them knowing of it. An observer's failure fails the change.
 * `subject` is the changed thing as the service that changed it presents it, when it has it
 * at hand (an account's UserView), so an observer need not read it back; never stored.
 */
export type AuditObserver = (ctx: Context, action: AuditAction, target: AuditTarget | undefined, details: Record<string, unknown>, subject?: object) => Promise<void>;

export class AuditService {
  private readonly observers = new Map<string, AuditObserver>();

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  /** One observer per name. */
  observe(name: string, observer: AuditObserver): void {
    this.observers.set(name, observer);
  }

  async record(ctx: Context, action: AuditAction, details: Record<string, unknown> = {}, target?: AuditTarget, subject?: object): Promise<void> {
    const event = this.prepare(ctx, action, details, target, subject);
    await this.models.sql.write(event.statement.sql, event.statement.params, ctx);
    await event.written();
  }

  /**
   * `record` in two steps, for a caller that sends the event's INSERT among other statements
   * of its transaction (Sql.writeAll): the statement, then `written()` once it ran, which
   * tells the observers.
   */
  prepare(ctx: Context, action: AuditAction, details: Record<string, unknown> = {}, target?: AuditTarget, subject?: object): { statement: Statement; written(): Promise<void> } {
    // Plain SQL: every sign-in and every provisioning call writes one (sql.ts).
    const row = this.rowOf(ctx, { action, details, target }, this.clock.now());
    return {
      statement: {
        sql: 'INSERT INTO audit_events (occurred_at, action, actor_id, actor_label, source, ip, request_id, target_type, target_id, target_label, details) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
        params: [row.occurredAt, row.action, row.actorId, row.actorLabel, row.source, row.ip, row.requestId, row.targetType, row.targetId, row.targetLabel, row.details],
      },
      written: async () => {
        for (const observer of this.observers.values()) await observer(ctx, action, target, details, subject);
      },
    };
  }

  /**
   * Many events of one request in one multi-row insert per chunk (bulk invitations), in the
   * caller's transaction, in the given order (ids ascend as the events are listed).
   */
  async recordMany(ctx: Context, events: ReadonlyArray<AuditEventInput>): Promise<void> {
    if (!events.length) return;
    const now = this.clock.now();
    for (let i = 0; i < events.length; i += INSERT_CHUNK) {
      await this.models.AuditEvent.bulkCreate(events.slice(i, i + INSERT_CHUNK).map((e) => this.rowOf(ctx, e, now)), { transaction: ctx.transaction });
    }
    for (const e of events) for (const observer of this.observers.values()) await observer(ctx, e.action, e.target, e.details ?? {});
  }

  private rowOf(ctx: Context, e: AuditEventInput, now: Date) {
    const details = e.details ?? {};
    return {
      occurredAt: now,
      action: e.action,
      actorId: ctx.actor.userId,
      actorLabel: ctx.actor.label.slice(0, 255),
      source: ctx.source,
      ip: ctx.ip,
      requestId: ctx.requestId ?? null,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      targetLabel: e.target?.label?.slice(0, 320) ?? null,
      details: Object.keys(details).length ? JSON.stringify(details) : null,
    };
  }

  /** Events about one target, newest first. */
  async forTarget(targetId: string, limit = 50): Promise<AuditEventView[]> {
    const rows = await this.models.AuditEvent.findAll({ where: { targetId }, order: [['id', 'DESC']], limit });
    return rows.map(presentAuditEvent);
  }

  async recent(limit = 50): Promise<AuditEventView[]> {
    const rows = await this.models.AuditEvent.findAll({ order: [['id', 'DESC']], limit });
    return rows.map(presentAuditEvent);
  }
}

export function presentAuditEvent(row: {
  id: number; occurredAt: Date; action: string; actorId: string | null; actorLabel: string; source: string; ip: string | null;
  targetType: string | null; targetId: string | null; targetLabel: string | null; details: string | null;
}): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    action: row.action,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    source: row.source,
    ip: row.ip,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId, label: row.targetLabel } : null,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : {},
  };
}
