// An account's history for its page: the status and role changes (created, confirmed,
// deactivated with the reason, reactivated, roles added and removed with the reason,
// ownership, kind) and, for viewers allowed the audit log, its recent audit events.
import { Op } from 'sequelize';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { presentAuditEvent, type AuditEventView } from '../audit/audit-service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { authorize } from '../roles/authorize.js';

export const LIFECYCLE_ACTIONS: readonly AuditAction[] = [
  'user.created',
  'user.confirmed',
  'user.deactivated',
  'user.reactivated',
  'user.access_end_changed',
  'user.reactivation_link_sent',
  'user.roles_changed',
  'user.kind_changed',
  'owner.transferred',
];

export class UserHistory {
  constructor(private readonly models: Models) {}

  /** Status and role changes, newest first (users.view: part of the account's record). */
  async lifecycle(ctx: Context, userId: string, limit = 50): Promise<AuditEventView[]> {
    authorize(ctx.actor, 'users.view');
    const rows = await this.models.AuditEvent.findAll({
      where: { targetId: userId, action: { [Op.in]: [...LIFECYCLE_ACTIONS] } },
      order: [['id', 'DESC']],
      limit,
      transaction: ctx.transaction,
    });
    return rows.map((r) => presentAuditEvent(r.get({ plain: true })));
  }

  /** Every recent event about the account (audit.view). */
  async recentEvents(ctx: Context, userId: string, limit = 20): Promise<AuditEventView[]> {
    authorize(ctx.actor, 'audit.view');
    const rows = await this.models.AuditEvent.findAll({ where: { targetId: userId }, order: [['id', 'DESC']], limit, transaction: ctx.transaction });
    return rows.map((r) => presentAuditEvent(r.get({ plain: true })));
  }
}
