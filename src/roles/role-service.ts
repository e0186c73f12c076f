// Roles are named sets of permission strings. Built-in
// roles are seeded by migration and fixed; custom roles are free. A user holds several
// roles and their permissions are the union. Nobody grants what they do not hold.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Actor, Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, Forbidden, InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import { ALL, authorize, can } from './authorize.js';
import { PERMISSION_PATTERN, type BuiltInRoleKey } from './permission-catalogue.js';
import { controlCharacterProblem, textProblem } from '../users/user-validation.js';
import { followRole } from '../settings/role-references.js';
import { assertDominates, isSelf, type GuardedChange } from './dominance.js';

/** A role as a user's roles are shown. */
export type RoleRef = Pick<RoleView, 'id' | 'name' | 'builtin'>;

export interface RoleView {
  id: string;
  name: string;
  builtin: BuiltInRoleKey | null;
  description: string | null;
  permissions: string[];
  holders: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export class RoleService {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(ctx?: Context): Promise<RoleView[]> {
    const roles = await this.models.Role.findAll({ order: [['createdAt', 'ASC'], ['name', 'ASC']], transaction: ctx?.transaction });
    return this.present(roles.map((r) => r.get({ plain: true })), ctx);
  }

  async get(id: string, ctx?: Context): Promise<RoleView> {
    const role = await this.models.Role.findByPk(id, { transaction: ctx?.transaction });
    if (!role) throw new NotFound('No such role.');
    return (await this.present([role.get({ plain: true })], ctx))[0]!;
  }

  async findByName(name: string, ctx?: Context): Promise<RoleView | null> {
    const role = await this.models.Role.findOne({ where: { nameNormalized: name.trim().toLowerCase() }, transaction: ctx?.transaction });
    return role ? (await this.present([role.get({ plain: true })], ctx))[0]! : null;
  }

  async builtin(key: BuiltInRoleKey, ctx?: Context): Promise<RoleView> {
    const role = await this.models.Role.findOne({ where: { builtin: key }, transaction: ctx?.transaction });
    if (!role) throw new NotFound(`Built-in role ${key} is missing; run the migrations.`);
    return (await this.present([role.get({ plain: true })], ctx))[0]!;
  }

  /** Roles of each given user, by user id. */
  async rolesOfUsers(userIds: string[], ctx?: Context): Promise<Map<string, RoleView[]>> {
    const result = new Map<string, RoleView[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const links = await this.models.UserRole.findAll({ where: { userId: { [Op.in]: userIds } }, transaction: ctx?.transaction });
    const roleIds = [...new Set(links.map((l) => l.roleId))];
    const roles = roleIds.length ? await this.models.Role.findAll({ where: { id: { [Op.in]: roleIds } }, transaction: ctx?.transaction }) : [];
    const views = new Map((await this.present(roles.map((r) => r.get({ plain: true })), ctx)).map((v) => [v.id, v]));
    for (const link of links) result.get(link.userId)!.push(views.get(link.roleId)!);
    for (const list of result.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return result;
  }

  async rolesOf(userId: string, ctx?: Context): Promise<RoleView[]> {
    return (await this.rolesOfUsers([userId], ctx)).get(userId)!;
  }

  /**
   * The roles each given user holds as a user is shown (id, name, built-in key), by name, in
   * one query: presenting a user needs neither the roles' permissions nor their holders.
   */
  async roleRefsOfUsers(userIds: readonly string[], ctx?: Context): Promise<Map<string, RoleRef[]>> {
    const result = new Map<string, RoleRef[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const rows = await this.models.sql.select<{ user_id: string; id: string; name: string; builtin: BuiltInRoleKey | null }>(
      `SELECT ur.user_id, r.id, r.name, r.builtin FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN (${userIds.map(() => '?').join(',')})`,
      userIds,
      ctx,
    );
    for (const row of rows) result.get(row.user_id)!.push({ id: row.id, name: row.name, builtin: row.builtin });
    for (const list of result.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return result;
  }

  async roleRefsOf(userId: string, ctx?: Context): Promise<RoleRef[]> {
    return (await this.roleRefsOfUsers([userId], ctx)).get(userId)!;
  }

  async permissionsOf(userId: string, ctx?: Context): Promise<Set<string>> {
    const rows = await this.models.sequelizeQuery<{ permission: string }>(
      'SELECT DISTINCT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = :userId',
      { userId },
      ctx,
    );
    return new Set(rows.map((r) => r.permission));
  }

  /**
   * The permissions of a built-in role. Built-in roles cannot be changed (`editableRole`);
   * only migrations write them, before a process starts. So each is read once per process.
   */
  builtinPermissions(key: BuiltInRoleKey): Promise<ReadonlySet<string>> {
    let cached = this.builtinPermissionCache.get(key);
    if (!cached) {
      cached = this.models.sql
        .select<{ permission: string }>('SELECT rp.permission FROM roles r JOIN role_permissions rp ON rp.role_id = r.id WHERE r.builtin = ?', [key])
        .then((rows) => new Set(rows.map((r) => r.permission)));
      // A failed read is not kept: the next caller asks again.
      cached.catch(() => this.builtinPermissionCache.delete(key));
      this.builtinPermissionCache.set(key, cached);
    }
    return cached;
  }

  private readonly builtinPermissionCache = new Map<BuiltInRoleKey, Promise<ReadonlySet<string>>>();

  /** The union of a user's roles' permissions while the account is active; none otherwise. One query. */
  async permissionsOfActive(userId: string): Promise<Set<string>> {
    const rows = await this.models.sql.select<{ permission: string }>(
      "SELECT DISTINCT rp.permission FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE u.id = ? AND u.status = 'active'",
      [userId],
    );
    return new Set(rows.map((r) => r.permission));
  }

  /**
   * The actor a signed-in user acts as: their label and the union of their roles'
   * permissions. The owner holds every permission, free-form strings included, so
   * only the owner can introduce a permission string nobody holds yet.
   */
  async actorFor(user: { id: string; username: string }, ctx?: Context): Promise<Actor> {
    return { userId: user.id, label: user.username, permissions: await this.effectivePermissionsOf(user.id, ctx) };
  }

  /** One query: every signed-in request asks it (the actor), and the users list again for its menus. */
  async ownerId(ctx?: Context): Promise<string | null> {
    const [link] = await this.models.sql.select<{ user_id: string }>(
      "SELECT ur.user_id FROM roles r JOIN user_roles ur ON ur.role_id = r.id WHERE r.builtin = 'owner' LIMIT 1",
      [],
      ctx,
    );
    return link?.user_id ?? null;
  }

  /** Pages warn while only one active account holds users.manage. */
  async soleUserManager(ctx?: Context): Promise<boolean> {
    // Only "one or more than one" matters: stop at two managers, reached from the roles
    // carrying the permission (counting every holder made each admin page read all of
    // them — 0.4 s at 100,000 accounts in bench:users).
    const [row] = await this.models.sequelizeQuery<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM (
         SELECT DISTINCT ur.user_id FROM role_permissions rp
           JOIN user_roles ur ON ur.role_id = rp.role_id
           JOIN users u ON u.id = ur.user_id
          WHERE rp.permission = 'users.manage' AND u.status = 'active'
          LIMIT 2) managers`,
      {},
      ctx,
    );
    return Number(row!.n) <= 1;
  }

  async create(ctx: Context, input: { name: string; permissions?: string[]; description?: string | null }): Promise<RoleView> {
    authorize(ctx.actor, 'roles.manage');
    const name = roleName(input.name);
    const permissions = normalizePermissions(input.permissions ?? []);
    validateRoleInput(name, permissions, input.description ?? null);
    assertCanGrantPermissions(ctx.actor, permissions);
    return this.transactions.run(ctx, async (tx) => {
      await this.assertNameFree(tx, name);
      const now = this.clock.now();
      const id = newId();
      await this.models.Role.create({ id, name, nameNormalized: name.toLowerCase(), builtin: null, description: input.description ?? null, createdAt: now, updatedAt: now }, { transaction: tx.transaction });
      if (permissions.length) await this.models.RolePermission.bulkCreate(permissions.map((permission) => ({ roleId: id, permission })), { transaction: tx.transaction });
      await this.audit.record(tx, 'role.created', { permissions }, { type: 'role', id, label: name });
      return this.get(id, tx);
    });
  }

  async rename(ctx: Context, roleId: string, newName: string): Promise<RoleView> {
    authorize(ctx.actor, 'roles.manage');
    const name = roleName(newName);
    validateRoleInput(name, [], null);
    return this.transactions.run(ctx, async (tx) => {
      const role = await this.editableRole(tx, roleId);
      if (role.name === name) return this.get(roleId, tx);
      await this.assertMayChangeHolders(tx, roleId);
      await this.assertNameFree(tx, name, roleId);
      await this.models.Role.update({ name, nameNormalized: name.toLowerCase(), version: role.version + 1, updatedAt: this.clock.now() }, { where: { id: roleId }, transaction: tx.transaction });
      await this.audit.record(tx, 'role.renamed', { from: role.name, to: name }, { type: 'role', id: roleId, label: name });
      await followRole(tx, { models: this.models, audit: this.audit, clock: this.clock }, role, name); // default roles are stored by name
      return this.get(roleId, tx);
    });
  }

  async setPermissions(ctx: Context, roleId: string, permissionsInput: string[]): Promise<RoleView> {
    authorize(ctx.actor, 'roles.manage');
    const permissions = normalizePermissions(permissionsInput);
    validateRoleInput('x', permissions, null);
    return this.transactions.run(ctx, async (tx) => {
      const role = await this.editableRole(tx, roleId);
      const current = new Set((await this.models.RolePermission.findAll({ where: { roleId }, transaction: tx.transaction })).map((p) => p.permission));
      const added = permissions.filter((p) => !current.has(p));
      const removed = [...current].filter((p) => !permissions.includes(p));
      assertCanGrantPermissions(ctx.actor, added);
      if (added.length === 0 && removed.length === 0) return this.get(roleId, tx);
      await this.assertMayChangeHolders(tx, roleId);
      await this.models.RolePermission.destroy({ where: { roleId }, transaction: tx.transaction });
      if (permissions.length) await this.models.RolePermission.bulkCreate(permissions.map((permission) => ({ roleId, permission })), { transaction: tx.transaction });
      await this.models.Role.update({ version: role.version + 1, updatedAt: this.clock.now() }, { where: { id: roleId }, transaction: tx.transaction });
      await this.audit.record(tx, 'role.permissions_changed', { added, removed }, { type: 'role', id: roleId, label: role.name });
      return this.get(roleId, tx);
    });
  }

  /**
   * Deletes a custom role; refused while assigned unless its holders move to `reassignTo`,
   * or (`dropHolders`, a directory deleting the group it pushed: the group is gone there)
   * the holders simply lose it, each loss audited.
   */
  async delete(ctx: Context, roleId: string, options: { reassignTo?: string | null; dropHolders?: boolean } = {}): Promise<void> {
    authorize(ctx.actor, 'roles.manage');
    await this.transactions.run(ctx, async (tx) => {
      const role = await this.editableRole(tx, roleId);
      const holders = await this.models.UserRole.findAll({ where: { roleId }, transaction: tx.transaction });
      await this.assertMayChangeAll(tx, holders.map((h) => h.userId), 'roles');
      if (holders.length && !options.reassignTo && !options.dropHolders) {
        throw new InvalidTransition(`The role ${role.name} is held by ${holders.length} account(s). Choose a role to give them instead, then delete it.`);
      }
      if (holders.length && options.reassignTo) {
        if (options.reassignTo === roleId) throw new ValidationError({ reassignTo: 'Choose a different role to give its holders.' });
        const target = await this.get(options.reassignTo, tx);
        if (target.builtin === 'owner') throw new Forbidden('The owner role is only given by transferring ownership.');
        assertCanGrantPermissions(ctx.actor, target.permissions);
        await this.touch(tx, [target.id]);
        const now = this.clock.now();
        for (const holder of holders) {
          await this.models.UserRole.findOrCreate({ where: { userId: holder.userId, roleId: target.id }, defaults: { userId: holder.userId, roleId: target.id, createdAt: now }, transaction: tx.transaction });
          await this.bumpUserVersion(tx, holder.userId);
        }
      }
      if (holders.length && !options.reassignTo && options.dropHolders) {
        for (const holder of holders) {
          await this.bumpUserVersion(tx, holder.userId);
          const user = await this.models.User.findByPk(holder.userId, { attributes: ['username'], transaction: tx.transaction });
          await this.audit.record(tx, 'user.roles_changed', { added: [], removed: [role.name], reason: 'role deleted' }, { type: 'user', id: holder.userId, label: user?.username });
        }
      }
      await this.models.UserRole.destroy({ where: { roleId }, transaction: tx.transaction });
      await this.models.Role.destroy({ where: { id: roleId }, transaction: tx.transaction });
      await this.audit.record(tx, 'role.deleted', { holders: holders.length, reassignedTo: options.reassignTo ?? null }, { type: 'role', id: roleId, label: role.name });
      await followRole(tx, { models: this.models, audit: this.audit, clock: this.clock }, role, null); // no longer a default or a TOTP-required role
    });
  }

  /**
   * Sets exactly the roles a user holds. Added roles must be grantable by the actor; the
   * owner role is never given or taken here (only `transferOwnership` moves it).
   */
  async setUserRoles(ctx: Context, userId: string, roleIds: string[], reason?: string | null): Promise<RoleView[]> {
    authorize(ctx.actor, 'users.manage');
    const reasonProblem = reason ? textProblem('Reason', reason, 500) : null;
    if (reasonProblem) throw new ValidationError({ reason: reasonProblem });
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.models.User.findByPk(userId, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!user) throw new NotFound('No such user.');
      const wanted = [...new Set(roleIds)];
      await this.assertMayChange(tx, { id: userId, label: user.username }, 'roles');
      const before = await this.rolesOf(userId, tx);
      const beforeIds = new Set(before.map((r) => r.id));
      const roles = await this.resolveRoles(tx, wanted);
      const ownerBefore = before.some((r) => r.builtin === 'owner');
      const ownerAfter = roles.some((r) => r.builtin === 'owner');
      if (ownerBefore !== ownerAfter) throw new Forbidden(ownerBefore ? 'The owner role cannot be removed; the owner can transfer ownership instead.' : 'The owner role is only given by transferring ownership.');
      const added = roles.filter((r) => !beforeIds.has(r.id));
      const removed = before.filter((r) => !wanted.includes(r.id));
      for (const role of added) assertCanGrantPermissions(ctx.actor, role.permissions, role.name);
      if (added.length === 0 && removed.length === 0) return before;
      const now = this.clock.now();
      await this.touch(tx, [...added, ...removed].map((r) => r.id));
      if (removed.length) await this.models.UserRole.destroy({ where: { userId, roleId: { [Op.in]: removed.map((r) => r.id) } }, transaction: tx.transaction });
      if (added.length) await this.models.UserRole.bulkCreate(added.map((r) => ({ userId, roleId: r.id, createdAt: now })), { transaction: tx.transaction });
      await this.bumpUserVersion(tx, userId);
      await this.audit.record(
        tx,
        'user.roles_changed',
        { added: added.map((r) => r.name), removed: removed.map((r) => r.name), reason: reason || null },
        { type: 'user', id: userId, label: user.username },
      );
      return this.rolesOf(userId, tx);
    });
  }

  /** The roles a new account is to receive, checked against the grant rules; nothing written. */
  async rolesForCreate(ctx: TxContext, roleIds: string[], allowOwner = false): Promise<RoleView[]> {
    const roles = await this.resolveRoles(ctx, [...new Set(roleIds)]);
    for (const role of roles) {
      if (role.builtin === 'owner' && !allowOwner) throw new Forbidden('The owner role is only given by transferring ownership.');
      assertCanGrantPermissions(ctx.actor, role.permissions, role.name);
    }
    return roles;
  }

  /** Gives a new account the roles `rolesForCreate` checked, once its row is written. */
  async grantOnCreate(ctx: TxContext, userId: string, roles: readonly RoleView[]): Promise<void> {
    if (roles.length === 0) return;
    const now = this.clock.now();
    await this.touch(ctx, roles.map((r) => r.id));
    await this.models.UserRole.bulkCreate(roles.map((r) => ({ userId, roleId: r.id, createdAt: now })), { transaction: ctx.transaction });
  }

  /** The owner hands ownership to another active account; the former owner becomes an admin. */
  async transferOwnership(ctx: Context, toUserId: string): Promise<void> {
    await this.transactions.run(ctx, async (tx) => {
      const owner = await this.builtin('owner', tx);
      const admin = await this.builtin('admin', tx);
      const fromUserId = await this.ownerId(tx);
      if (!fromUserId || ctx.actor.userId !== fromUserId) throw new Forbidden('Only the owner can transfer ownership.');
      if (toUserId === fromUserId) throw new ValidationError({ userId: 'Choose another account to receive ownership.' });
      const target = await this.models.User.findByPk(toUserId, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!target) throw new NotFound('No such user.');
      if (target.status !== 'active') throw new InvalidTransition('Ownership can only go to an active account.');
      const from = await this.models.User.findByPk(fromUserId, { transaction: tx.transaction });
      const now = this.clock.now();
      await this.touch(tx, [owner.id, admin.id]);
      await this.models.UserRole.destroy({ where: { userId: fromUserId, roleId: owner.id }, transaction: tx.transaction });
      await this.models.UserRole.findOrCreate({ where: { userId: fromUserId, roleId: admin.id }, defaults: { userId: fromUserId, roleId: admin.id, createdAt: now }, transaction: tx.transaction });
      await this.models.UserRole.create({ userId: toUserId, roleId: owner.id, createdAt: now }, { transaction: tx.transaction });
      await this.bumpUserVersion(tx, fromUserId);
      await this.bumpUserVersion(tx, toUserId);
      await this.audit.record(tx, 'owner.transferred', { from: from?.username ?? fromUserId, to: target.username }, { type: 'user', id: toUserId, label: target.username });
    });
  }

  /**
   * Records that the holders of these roles changed: each role's version (its SCIM Group
   * ETag, RFC 7644 §3.14) and last-modified time move. Called before the links are written,
   * so the role row's lock is taken first and parallel writers queue instead of deadlocking.
   */
  async touch(ctx: TxContext, roleIds: readonly string[]): Promise<void> {
    const ids = [...new Set(roleIds)];
    if (ids.length === 0) return;
    await this.models.Role.increment({ version: 1 }, { where: { id: { [Op.in]: ids } }, transaction: ctx.transaction });
    await this.models.Role.update({ updatedAt: this.clock.now() }, { where: { id: { [Op.in]: ids } }, transaction: ctx.transaction });
  }

  /** The role, its row locked for the rest of the transaction (edges check versions under it). */
  async getForUpdate(ctx: TxContext, id: string): Promise<RoleView> {
    const role = await this.models.Role.findByPk(id, { transaction: ctx.transaction, lock: ctx.transaction.LOCK.UPDATE });
    if (!role) throw new NotFound('No such role.');
    return (await this.present([role.get({ plain: true })], ctx))[0]!;
  }

  /** Roles by id, in the order asked; unknown ids are left out. */
  async getMany(ids: readonly string[], ctx?: Context): Promise<RoleView[]> {
    if (ids.length === 0) return [];
    const rows = await this.models.Role.findAll({ where: { id: { [Op.in]: [...ids] } }, transaction: ctx?.transaction });
    const views = new Map((await this.present(rows.map((r) => r.get({ plain: true })), ctx)).map((v) => [v.id, v]));
    return ids.map((id) => views.get(id)).filter((v): v is RoleView => !!v);
  }

  /**
   * The dominance rule (dominance.ts) for one account, decided inside the write's
   * transaction: callers lock the account's row first, so its roles cannot change between
   * this check and the write. The owner counts as holding every permission.
   */
  async assertMayChange(tx: TxContext, target: { id: string; label: string }, change: GuardedChange): Promise<void> {
    if (isSelf(tx.actor, target.id) || tx.actor.permissions.has(ALL)) return;
    assertDominates(tx.actor, { ...target, permissions: await this.effectivePermissionsOf(target.id, tx) }, change);
  }

  /** The same rule for many accounts at once (a role's holders, a group's members). */
  async assertMayChangeAll(tx: TxContext, userIds: readonly string[], change: GuardedChange): Promise<void> {
    if (tx.actor.permissions.has(ALL) || userIds.length === 0) return;
    // The accounts' rows are locked first, as a single account's are: a role granted to one
    // of them in parallel then waits for this change instead of slipping past the check.
    await this.models.User.findAll({ attributes: ['id'], where: { id: { [Op.in]: [...new Set(userIds)] } }, transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
    const ownerId = await this.ownerId(tx);
    const rows = await this.models.sequelizeQuery<{ id: string; username: string; permission: string | null }>(
      'SELECT u.id, u.username, rp.permission FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE u.id IN (:ids)',
      { ids: [...new Set(userIds)] },
      tx,
    );
    const targets = new Map<string, { id: string; label: string; permissions: Set<string> }>();
    for (const row of rows) {
      const t = targets.get(row.id) ?? { id: row.id, label: row.username, permissions: new Set<string>(row.id === ownerId ? [ALL] : []) };
      if (row.permission !== null) t.permissions.add(row.permission);
      targets.set(row.id, t);
    }
    for (const target of targets.values()) if (!isSelf(tx.actor, target.id)) assertDominates(tx.actor, target, change);
  }

  /** Changing a role (its name or permissions) changes the roles of every holder. */
  private async assertMayChangeHolders(tx: TxContext, roleId: string): Promise<void> {
    const holders = await this.models.UserRole.findAll({ attributes: ['userId'], where: { roleId }, transaction: tx.transaction });
    await this.assertMayChangeAll(tx, holders.map((h) => h.userId), 'roles');
  }

  /** The union of the account's roles' permissions; the owner's includes ALL. */
  async effectivePermissionsOf(userId: string, ctx?: Context): Promise<Set<string>> {
    const [permissions, ownerId] = await Promise.all([this.permissionsOf(userId, ctx), this.ownerId(ctx)]);
    if (ownerId === userId) permissions.add(ALL);
    return permissions;
  }

  async isOwner(userId: string, ctx?: Context): Promise<boolean> {
    return (await this.ownerId(ctx)) === userId;
  }

  private async resolveRoles(ctx: Context, roleIds: string[]): Promise<RoleView[]> {
    if (roleIds.length === 0) return [];
    const rows = await this.models.Role.findAll({ where: { id: { [Op.in]: roleIds } }, transaction: ctx.transaction });
    if (rows.length !== roleIds.length) throw new ValidationError({ roles: 'One of the chosen roles does not exist (any more).' });
    return this.present(rows.map((r) => r.get({ plain: true })), ctx);
  }

  private async editableRole(ctx: TxContext, roleId: string) {
    const role = await this.models.Role.findByPk(roleId, { transaction: ctx.transaction, lock: ctx.transaction.LOCK.UPDATE });
    if (!role) throw new NotFound('No such role.');
    if (role.builtin) throw new Forbidden(`The built-in role ${role.name} cannot be changed or deleted.`);
    return role;
  }

  private async assertNameFree(ctx: Context, name: string, exceptId?: string): Promise<void> {
    const clash = await this.models.Role.findOne({ where: { nameNormalized: name.toLowerCase() }, transaction: ctx.transaction });
    if (clash && clash.id !== exceptId) throw new Conflict(`A role named ${clash.name} already exists.`, 'name');
  }

  private async bumpUserVersion(ctx: TxContext, userId: string): Promise<void> {
    await this.models.User.increment('version', { where: { id: userId }, transaction: ctx.transaction });
    await this.models.User.update({ updatedAt: this.clock.now() }, { where: { id: userId }, transaction: ctx.transaction });
  }

  private async present(roles: Array<{ id: string; name: string; builtin: BuiltInRoleKey | null; description: string | null; version: number; createdAt: Date; updatedAt: Date }>, ctx?: Context): Promise<RoleView[]> {
    if (roles.length === 0) return [];
    const ids = roles.map((r) => r.id);
    const perms = await this.models.RolePermission.findAll({ where: { roleId: { [Op.in]: ids } }, transaction: ctx?.transaction });
    const counts = await this.models.sequelizeQuery<{ role_id: string; n: number | string }>(
      'SELECT role_id, COUNT(*) AS n FROM user_roles WHERE role_id IN (:ids) GROUP BY role_id',
      { ids },
      ctx,
    );
    const countById = new Map(counts.map((c) => [c.role_id, Number(c.n)]));
    return roles.map((r) => ({
      id: r.id,
      name: r.name,
      builtin: r.builtin,
      description: r.description,
      permissions: perms.filter((p) => p.roleId === r.id).map((p) => p.permission).sort(),
      holders: countById.get(r.id) ?? 0,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }
}

function normalizePermissions(list: string[]): string[] {
  return [...new Set(list.map((p) => String(p).trim()).filter(Boolean))].sort();
}

/** The trimmed name; control characters are refused as sent, so trimming cannot hide a trailing tab or line break. */
function roleName(raw: string | null | undefined): string {
  const problem = typeof raw === 'string' ? controlCharacterProblem('Name', raw) : null;
  if (problem) throw new ValidationError({ name: problem });
  return raw?.trim() ?? '';
}

function validateRoleInput(name: string, permissions: string[], description: string | null): void {
  const fields: Record<string, string> = {};
  if (!name) fields.name = 'Name is required.';
  else fields.name = textProblem('Name', name, 100) ?? '';
  if (!fields.name) delete fields.name;
  const bad = permissions.find((p) => !PERMISSION_PATTERN.test(p));
  if (bad !== undefined) fields.permissions = `"${bad}" is not a valid permission: use letters, digits and . _ : - (up to 100 characters).`;
  if (description && description.length > 500) fields.description = 'Description must be at most 500 characters.';
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Nobody may grant a role or permission they do not hold themselves. */
export function assertCanGrantPermissions(actor: Actor, permissions: readonly string[], roleName?: string): void {
  const missing = permissions.filter((p) => !can(actor, p));
  if (missing.length) {
    throw new Forbidden(
      roleName
        ? `You cannot give the role ${roleName}: it carries permissions you do not hold (${missing.join(', ')}).`
        : `You cannot grant permissions you do not hold (${missing.join(', ')}).`,
    );
  }
}

