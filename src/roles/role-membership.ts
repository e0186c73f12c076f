// The holders of one role, changed as a set (a SCIM Group's
// members are its role's holders). Directories add and remove members in batches of
// hundreds; each change follows the same rules as giving roles one account at a time:
// the owner role never moves here, added holders need the actor to hold every permission
// the role carries, and every account that gains or loses the role is audited.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Forbidden, NotFound, ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from './authorize.js';
import { assertCanGrantPermissions, type RoleService } from './role-service.js';

export interface RoleMember {
  id: string;
  username: string;
}

export interface MembershipChange {
  /** Accounts to give the role; those already holding it are left alone. */
  add?: readonly string[];
  /** Accounts to take it from; those not holding it are left alone. */
  remove?: readonly string[];
  /** Exactly these holders afterwards (applied before `add` and `remove`). */
  set?: readonly string[];
}

export class RoleMembershipService {
  constructor(
    private readonly models: Models,
    private readonly roles: RoleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Holders of each given role, by role id, ordered by username. */
  async membersOf(roleIds: readonly string[], ctx?: Context): Promise<Map<string, RoleMember[]>> {
    const result = new Map<string, RoleMember[]>(roleIds.map((id) => [id, []]));
    if (roleIds.length === 0) return result;
    const rows = await this.models.sequelizeQuery<{ role_id: string; id: string; username: string }>(
      `SELECT ur.role_id, u.id, u.username FROM user_roles ur JOIN users u ON u.id = ur.user_id
        WHERE ur.role_id IN (:roleIds) ORDER BY u.username_normalized, u.id`,
      { roleIds: [...roleIds] },
      ctx,
    );
    for (const row of rows) result.get(row.role_id)?.push({ id: row.id, username: row.username });
    return result;
  }

  /** Applies one change to a role's holders in one transaction; returns the counts changed. */
  async change(ctx: Context, roleId: string, change: MembershipChange, reason?: string | null): Promise<{ added: number; removed: number }> {
    authorize(ctx.actor, 'users.manage');
    return this.transactions.run(ctx, async (tx) => {
      // Locked first: every membership writer queues on the role row (RoleService.touch).
      const role = await this.roles.getForUpdate(tx, roleId);
      if (role.builtin === 'owner') throw new Forbidden('The owner role is only given or taken by transferring ownership.');
      const current = new Set((await this.models.UserRole.findAll({ attributes: ['userId'], where: { roleId }, transaction: tx.transaction })).map((l) => l.userId));
      const wanted = new Set(current);
      if (change.set) {
        wanted.clear();
        for (const id of change.set) wanted.add(id);
      }
      for (const id of change.add ?? []) wanted.add(id);
      for (const id of change.remove ?? []) wanted.delete(id);
      const added = [...wanted].filter((id) => !current.has(id));
      const removed = [...current].filter((id) => !wanted.has(id));
      if (added.length === 0 && removed.length === 0) return { added: 0, removed: 0 };

      const labels = await this.usernames(tx, [...added, ...removed]);
      const unknown = added.filter((id) => !labels.has(id));
      if (unknown.length) throw new ValidationError({ members: `No account with id ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ' …' : ''}.` });
      if (added.length) assertCanGrantPermissions(tx.actor, role.permissions, role.name);
      // Adding or removing a member changes that account's roles.
      await this.roles.assertMayChangeAll(tx, [...added, ...removed], 'roles');

      await this.roles.touch(tx, [roleId]);
      const now = this.clock.now();
      if (removed.length) await this.models.UserRole.destroy({ where: { roleId, userId: { [Op.in]: removed } }, transaction: tx.transaction });
      if (added.length) await this.models.UserRole.bulkCreate(added.map((userId) => ({ userId, roleId, createdAt: now })), { transaction: tx.transaction });
      await this.bumpUsers(tx, [...added, ...removed]);
      for (const id of added) await this.audit.record(tx, 'user.roles_changed', { added: [role.name], removed: [], reason: reason || null }, { type: 'user', id, label: labels.get(id) });
      for (const id of removed) await this.audit.record(tx, 'user.roles_changed', { added: [], removed: [role.name], reason: reason || null }, { type: 'user', id, label: labels.get(id) });
      return { added: added.length, removed: removed.length };
    });
  }

  private async usernames(tx: TxContext, ids: string[]): Promise<Map<string, string>> {
    const rows = await this.models.User.findAll({ attributes: ['id', 'username'], where: { id: { [Op.in]: ids } }, transaction: tx.transaction });
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** Each account's roles changed, so its version (its SCIM User ETag) moves too. */
  private async bumpUsers(tx: TxContext, ids: string[]): Promise<void> {
    await this.models.User.increment({ version: 1 }, { where: { id: { [Op.in]: ids } }, transaction: tx.transaction });
    await this.models.User.update({ updatedAt: this.clock.now() }, { where: { id: { [Op.in]: ids } }, transaction: tx.transaction });
  }
}
