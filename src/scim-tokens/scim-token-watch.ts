// Notices when a SCIM token's creator stops covering the token's set, inside the
// transaction that changed the creator: it watches the audit events that change what an
// account holds (every such change is audited in its own transaction), so deactivating an
// account or taking a role away mails the holders of scim.manage at once, without the user
// and role services knowing about tokens. Authentication checks again (ScimTokenService),
// so a change made some other way is still noticed at the token's next request.
import type { AuditAction } from '../audit/audit-actions.js';
import type { AuditService, AuditTarget } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Param } from '../db/sql.js';
import type { ScimTokenNotices } from './scim-token-notices.js';
import { creatorsNow } from './token-creators.js';
import { parseSet, standingOf } from './token-permissions.js';

/** Changes to one account's standing: its tokens are checked. */
const ACCOUNT_EVENTS: ReadonlySet<AuditAction> = new Set(['user.deactivated', 'user.reactivated', 'user.deleted', 'user.roles_changed']);
/** Changes that may touch any account's permissions: every token with a creator is checked. */
const ROLE_EVENTS: ReadonlySet<AuditAction> = new Set(['role.permissions_changed', 'role.deleted', 'owner.transferred']);

export type TokenSelection = { creatorIds: readonly string[] } | { tokenIds: readonly string[] } | 'all';

export class ScimTokenWatch {
  constructor(
    private readonly models: Models,
    private readonly notices: ScimTokenNotices,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The audit observer (registered in services.ts). */
  readonly observe = async (ctx: Context, action: AuditAction, target: AuditTarget | undefined): Promise<void> => {
    if (!ctx.transaction) return;
    const tx = ctx as TxContext;
    if (ACCOUNT_EVENTS.has(action) && target?.type === 'user') await this.reconcile(tx, { creatorIds: [target.id] });
    else if (ROLE_EVENTS.has(action)) await this.reconcile(tx, 'all');
  };

  /**
   * Marks the selected live tokens whose creator no longer covers their set as orphaned
   * (audited, holders of scim.manage mailed, once per orphaning), and unmarks those whose
   * creator covers it again.
   */
  async reconcile(tx: TxContext, selection: TokenSelection): Promise<void> {
    let where = 'revoked_at IS NULL AND created_by IS NOT NULL';
    let params: Param[] = [];
    if (selection !== 'all') {
      const ids = 'creatorIds' in selection ? selection.creatorIds : selection.tokenIds;
      if (ids.length === 0) return;
      where += ` AND ${'creatorIds' in selection ? 'created_by' : 'id'} IN (${ids.map(() => '?').join(',')})`;
      params = [...ids];
    }
    const tokens = await this.models.sql.select<{ id: string; name: string; createdById: string; createdBy: string; permissions: string | null; orphanedAt: unknown }>(
      `SELECT id, name, created_by AS createdById, created_by_label AS createdBy, permissions, orphaned_at AS orphanedAt FROM scim_tokens WHERE ${where}`,
      params,
      tx,
    );
    if (tokens.length === 0) return;
    const creators = await creatorsNow(this.models, tokens.map((t) => t.createdById), tx);
    for (const token of tokens) {
      const permissions = parseSet(token.permissions);
      const standing = standingOf({ ...token, permissions }, creators.get(token.createdById) ?? null);
      const target = { type: 'scim_token' as const, id: token.id, label: token.name };
      if (standing.state !== 'active' && token.orphanedAt === null) {
        // Conditional: of two transactions finding it at once, one marks it and mails.
        const { affectedRows } = await this.models.sql.write('UPDATE scim_tokens SET orphaned_at = ? WHERE id = ? AND orphaned_at IS NULL', [this.clock.now(), token.id], tx);
        if (affectedRows !== 1) continue;
        await this.audit.record(tx, 'scim_token.orphaned', { state: standing.state, reason: standing.reason, lost: standing.lost }, target);
        await this.notices.orphaned(tx, { name: token.name, permissions }, standing);
      } else if (standing.state === 'active' && token.orphanedAt !== null) {
        // The creator holds the set again: a later loss is news again.
        const { affectedRows } = await this.models.sql.write('UPDATE scim_tokens SET orphaned_at = NULL WHERE id = ? AND orphaned_at IS NOT NULL', [token.id], tx);
        if (affectedRows === 1) await this.audit.record(tx, 'scim_token.restored', { creator: token.createdBy }, target);
      }
    }
  }
}
