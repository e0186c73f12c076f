// Settings that name roles follow the roles: the default roles for registration and
// invitations are stored by NAME (registration and invitations look them up by name), the
// roles requiring TOTP by id. A renamed role keeps its place under its new name; a deleted
// role leaves them — otherwise a role created later under the old name would silently
// become a default for every new account.
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { AuditService } from '../audit/audit-service.js';

const BY_NAME = ['registrationDefaultRoles', 'invitationDefaultRoles'] as const;

/** `newName` null: the role was deleted. Runs in the rename's or deletion's transaction. */
export async function followRole(ctx: TxContext, deps: { models: Models; audit: AuditService; clock: Clock }, role: { id: string; name: string }, newName: string | null): Promise<void> {
  const change = async (key: string, before: string[], after: string[]) => {
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    await deps.models.Setting.upsert({ key, value: JSON.stringify(after), updatedAt: deps.clock.now() }, { transaction: ctx.transaction });
    await deps.audit.record(ctx, 'settings.changed', { key, from: before, to: after, reason: newName ? 'role renamed' : 'role deleted' }, { type: 'setting', id: key, label: key });
  };
  const old = role.name.toLowerCase();
  for (const key of BY_NAME) {
    const row = await deps.models.Setting.findByPk(key, { transaction: ctx.transaction });
    if (!row) continue; // still the default list (viewer / member): built-ins are never renamed
    const names = JSON.parse(row.value) as string[];
    const after = newName === null ? names.filter((n) => n.toLowerCase() !== old) : names.map((n) => (n.toLowerCase() === old ? newName : n));
    await change(key, names, after);
  }
  if (newName === null) {
    const row = await deps.models.Setting.findByPk('totpRequiredRoleIds', { transaction: ctx.transaction });
    if (row) {
      const ids = JSON.parse(row.value) as string[];
      await change('totpRequiredRoleIds', ids, ids.filter((id) => id !== role.id));
    }
  }
}
