// Reading invitations for the invitations page and the users list: filters by effective
// status (decided by the application clock), the 30-day archive of expired invitations,
// and invited addresses without an account.
import { Op, type WhereOptions } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { NotFound, ValidationError } from '../errors.js';
import type { InvitationCreator } from './invitation-creator.js';
import type { InvitationAttributes, InvitationStatus } from './invitation-model.js';
import { ARCHIVE_AFTER_MS, effectiveStatus, presentInvitation, type InvitationView } from './invitation-presenter.js';

export interface InvitationListFilter {
  status?: InvitationStatus | null;
  /** Include expired invitations older than 30 days (archived). */
  includeArchived?: boolean;
  limit?: number;
  offset?: number;
}

export interface InviteeFilter {
  status?: 'pending' | 'expired' | null;
  includeArchived?: boolean;
  limit?: number;
}

/** An invited address without an account, as the users list merges it in. */
export interface Invitee {
  email: string;
  status: 'pending' | 'expired';
  invitation: InvitationView;
}

export class InvitationQueries {
  constructor(
    private readonly models: Models,
    private readonly creator: InvitationCreator,
    private readonly clock: Clock,
  ) {}

  async list(filter: InvitationListFilter = {}): Promise<{ items: InvitationView[]; total: number }> {
    const now = this.clock.now();
    const where = this.listWhere(filter, now);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const [rows, total] = await Promise.all([
      this.models.Invitation.findAll({ where, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit, offset: Math.max(filter.offset ?? 0, 0) }),
      this.models.Invitation.count({ where }),
    ]);
    const roles = await this.creator.rolesOfInvitations(rows.map((r) => r.id));
    return { items: rows.map((r) => presentInvitation(r.get({ plain: true }), roles.get(r.id) ?? [], now)), total };
  }

  /**
   * Invited addresses without an account, for the users list (shown
   * as Pending with a live invitation, or Expired with only expired ones), newest first.
   * Each carries the invitation the row links to (the live one, else the latest).
   */
  async invitees(filter: InviteeFilter = {}): Promise<Invitee[]> {
    const now = this.clock.now();
    const rows = await this.models.sequelizeQuery<{ id: string }>(
      `SELECT i.id FROM invitations i
        WHERE i.status IN ('pending', 'expired')
          ${filter.includeArchived ? '' : 'AND i.expires_at > :archiveBefore'}
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email_normalized = i.email_normalized)
        ORDER BY i.created_at DESC, i.id DESC`,
      { archiveBefore: new Date(now.getTime() - ARCHIVE_AFTER_MS) },
    );
    const found = await this.models.Invitation.findAll({ where: { id: { [Op.in]: rows.map((r) => r.id) } }, order: [['createdAt', 'DESC'], ['id', 'DESC']] });
    const byAddress = new Map<string, InvitationAttributes>();
    for (const row of found.map((r) => r.get({ plain: true }))) {
      const seen = byAddress.get(row.emailNormalized);
      if (!seen || (effectiveStatus(seen, now) !== 'pending' && effectiveStatus(row, now) === 'pending')) byAddress.set(row.emailNormalized, row);
    }
    const chosen = [...byAddress.values()].filter((r) => !filter.status || effectiveStatus(r, now) === filter.status).slice(0, Math.min(filter.limit ?? 1000, 1000));
    const roles = await this.creator.rolesOfInvitations(chosen.map((r) => r.id));
    return chosen.map((r) => ({ email: r.email, status: effectiveStatus(r, now) as 'pending' | 'expired', invitation: presentInvitation(r, roles.get(r.id) ?? [], now) }));
  }

  /** The admin navigation badge: live pending invitations. */
  async pendingCount(): Promise<number> {
    return this.models.Invitation.count({ where: { status: 'pending', expiresAt: { [Op.gt]: this.clock.now() } } });
  }

  async view(id: string, ctx?: Context): Promise<InvitationView> {
    const row = await this.models.Invitation.findByPk(id, { transaction: ctx?.transaction });
    if (!row) throw new NotFound('No such invitation.');
    const roles = (await this.creator.rolesOfInvitations([id], ctx)).get(id) ?? [];
    return presentInvitation(row.get({ plain: true }), roles, this.clock.now());
  }

  private listWhere(filter: InvitationListFilter, now: Date): WhereOptions<InvitationAttributes> {
    const archiveBefore = new Date(now.getTime() - ARCHIVE_AFTER_MS);
    const notArchived = filter.includeArchived ? {} : { expiresAt: { [Op.gt]: archiveBefore } };
    switch (filter.status) {
      case 'pending':
        return { status: 'pending', expiresAt: { [Op.gt]: now } };
      case 'expired':
        return { [Op.and]: [{ [Op.or]: [{ status: 'expired' }, { status: 'pending', expiresAt: { [Op.lte]: now } }] }, notArchived] };
      case 'accepted':
      case 'cancelled':
      case 'superseded':
        return { status: filter.status };
      case undefined:
      case null:
        return filter.includeArchived ? {} : { [Op.or]: [{ status: { [Op.in]: ['accepted', 'cancelled', 'superseded'] } }, notArchived] };
      default:
        throw new ValidationError({ status: 'Filter by pending, expired, accepted, cancelled or superseded.' });
    }
  }
}
