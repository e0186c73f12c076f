// Reading the audit log (filterable, and exportable as CSV for records): filters by actor,
// action, target and time, newest first, paged by cursor (the event id, which only grows),
// and read in batches for the export. Events outlive what they are about: each carries the
// label its target had, and is marked when that user, role or application no longer exists.
import { Op } from 'sequelize';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { authorize } from '../roles/authorize.js';
import { presentAuditEvent, type AuditEventView, type AuditService } from './audit-service.js';

export interface AuditFilter {
  /** Part of the actor's label, or the actor's exact id. */
  actor?: string;
  /** An exact action name (audit-actions.ts). */
  action?: string;
  /** Part of the target's label, or the target's exact id. */
  target?: string;
  /** Events at or after this instant. */
  from?: Date;
  /** Events before this instant. */
  until?: Date;
}

export interface AuditEntry extends AuditEventView {
  /** The target (a user, role or application) no longer exists; its label is what it was. */
  targetDeleted: boolean;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Cursor for the next (older) page, if any. */
  olderThan: number | null;
  /** Cursor for the previous (newer) page, if any. */
  newerThan: number | null;
}

const TARGET_TABLES = { user: 'User', role: 'Role', client: 'Client' } as const;

export class AuditLog {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
  ) {}

  /** Who took a copy of the log, and of what (the filter), is itself in the log. */
  async recordExport(ctx: Context, filter: AuditFilter): Promise<void> {
    authorize(ctx.actor, 'audit.view');
    const shown = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
    await this.audit.record(ctx, 'audit.exported', { filter: shown });
  }

  /** One page, newest first: older than `before`, or (paging back) newer than `after`. */
  async search(ctx: Context, filter: AuditFilter, cursor: { before?: number; after?: number } = {}, limit = 50): Promise<AuditPage> {
    authorize(ctx.actor, 'audit.view');
    const size = Math.min(Math.max(limit, 1), 500);
    const back = cursor.after !== undefined && cursor.before === undefined;
    const ids = await this.ids(filter, back ? { after: cursor.after } : { before: cursor.before }, size, back ? 'ASC' : 'DESC');
    if (back) ids.reverse();
    if (ids.length === 0 && back) return this.search(ctx, filter, {}, size);
    const items = await this.load(ids);
    const newest = ids[0];
    const oldest = ids[ids.length - 1];
    const [older, newer] = await Promise.all([
      oldest === undefined ? [] : this.ids(filter, { before: oldest }, 1, 'DESC'),
      newest === undefined ? [] : this.ids(filter, { after: newest }, 1, 'ASC'),
    ]);
    return { items, olderThan: older.length ? oldest! : null, newerThan: newer.length ? newest! : null };
  }

  /** Every matching event, newest first, a batch at a time (the CSV export streams these). */
  async *all(ctx: Context, filter: AuditFilter, batchSize = 500): AsyncGenerator<AuditEntry[]> {
    authorize(ctx.actor, 'audit.view');
    let before: number | undefined;
    for (;;) {
      const ids = await this.ids(filter, { before }, batchSize, 'DESC');
      if (ids.length === 0) return;
      yield await this.load(ids);
      if (ids.length < batchSize) return;
      before = ids[ids.length - 1];
    }
  }

  private async ids(filter: AuditFilter, cursor: { before?: number; after?: number }, limit: number, order: 'ASC' | 'DESC'): Promise<number[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit };
    if (filter.actor) {
      // "!" escapes LIKE's wildcards the same way on SQLite and MySQL.
      where.push("(actor_label LIKE :actorLike ESCAPE '!' OR actor_id = :actor)");
      Object.assign(params, { actor: filter.actor, actorLike: `%${likeEscape(filter.actor)}%` });
    }
    if (filter.action) {
      where.push('action = :action');
      params.action = filter.action;
    }
    if (filter.target) {
      where.push("(target_label LIKE :targetLike ESCAPE '!' OR target_id = :target)");
      Object.assign(params, { target: filter.target, targetLike: `%${likeEscape(filter.target)}%` });
    }
    if (filter.from) {
      where.push('occurred_at >= :from');
      params.from = filter.from;
    }
    if (filter.until) {
      where.push('occurred_at < :until');
      params.until = filter.until;
    }
    if (cursor.before !== undefined) {
      where.push('id < :before');
      params.before = cursor.before;
    }
    if (cursor.after !== undefined) {
      where.push('id > :after');
      params.after = cursor.after;
    }
    const sql = `SELECT id FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${order} LIMIT :limit`;
    const rows = await this.models.sequelizeQuery<{ id: number | string }>(sql, params);
    return rows.map((r) => Number(r.id));
  }

  private async load(ids: number[]): Promise<AuditEntry[]> {
    if (ids.length === 0) return [];
    const rows = await this.models.AuditEvent.findAll({ where: { id: { [Op.in]: ids } } });
    const byId = new Map(rows.map((r) => [r.id, presentAuditEvent(r.get({ plain: true }))]));
    const views = ids.map((id) => byId.get(id)).filter((v): v is AuditEventView => !!v);
    const gone = await this.missingTargets(views);
    return views.map((v) => ({ ...v, targetDeleted: !!v.target && gone.has(`${v.target.type}:${v.target.id}`) }));
  }

  private async missingTargets(views: AuditEventView[]): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const [type, model] of Object.entries(TARGET_TABLES) as Array<[keyof typeof TARGET_TABLES, (typeof TARGET_TABLES)[keyof typeof TARGET_TABLES]]>) {
      const ids = [...new Set(views.filter((v) => v.target?.type === type).map((v) => v.target!.id))];
      if (ids.length === 0) continue;
      const found = await this.existing(model, ids);
      for (const id of ids) if (!found.has(id)) missing.add(`${type}:${id}`);
    }
    return missing;
  }

  private async existing(model: 'User' | 'Role' | 'Client', ids: string[]): Promise<Set<string>> {
    if (model === 'Client') return new Set((await this.models.Client.findAll({ attributes: ['clientId'], where: { clientId: { [Op.in]: ids } } })).map((r) => r.clientId));
    if (model === 'User') return new Set((await this.models.User.findAll({ attributes: ['id'], where: { id: { [Op.in]: ids } } })).map((r) => r.id));
    return new Set((await this.models.Role.findAll({ attributes: ['id'], where: { id: { [Op.in]: ids } } })).map((r) => r.id));
  }
}

function likeEscape(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}
