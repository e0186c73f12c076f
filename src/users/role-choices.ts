// Which roles an admin may see and give on the user pages (nobody may grant
// a role or permission they do not hold; the owner role moves only by transfer). Reads
// names and permissions only — the pages need no holder counts.
import { Op } from 'sequelize';
import type { Actor, Context } from '../context.js';
import type { Models } from '../db/models.js';
import { can } from '../roles/authorize.js';

export interface RoleOption {
  id: string;
  name: string;
  builtin: string | null;
  permissions: string[];
}

export async function allRoleOptions(models: Models, ctx?: Context, ids?: readonly string[]): Promise<RoleOption[]> {
  const roles = await models.Role.findAll({
    attributes: ['id', 'name', 'builtin'],
    ...(ids ? { where: { id: { [Op.in]: [...ids] } } } : {}),
    order: [['name', 'ASC']],
    transaction: ctx?.transaction,
  });
  if (roles.length === 0) return [];
  const perms = await models.RolePermission.findAll({ where: { roleId: { [Op.in]: roles.map((r) => r.id) } }, transaction: ctx?.transaction });
  return roles.map((r) => ({ id: r.id, name: r.name, builtin: r.builtin, permissions: perms.filter((p) => p.roleId === r.id).map((p) => p.permission).sort() }));
}

export function canGrant(actor: Actor, role: RoleOption): boolean {
  return role.builtin !== 'owner' && role.permissions.every((p) => can(actor, p));
}

/** Roles the actor may give: never the owner role, and only roles whose permissions they hold. */
export async function grantableRoles(models: Models, actor: Actor, ctx?: Context): Promise<RoleOption[]> {
  return (await allRoleOptions(models, ctx)).filter((r) => canGrant(actor, r));
}
