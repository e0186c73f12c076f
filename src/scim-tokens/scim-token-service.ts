// Bearer tokens for directories that provision over SCIM (SPEC "SCIM 2.0": created by an
// admin, shown once, stored hashed, named, revocable, last use shown). The token's name is
// the actor label of every SCIM write in the audit trail.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { sqlDate } from '../db/sql.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { hashToken, newId, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import { textProblem } from '../users/user-validation.js';
import type { ScimTokenAttributes } from './scim-token-model.js';

export interface ScimTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell tokens apart; never enough to use one. */
  hint: string;
  createdAt: Date;
  createdBy: string;
  /** The account that created the token: the directory acts with its permissions. */
  createdById: string | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** Last use is written at most this often per token, not on every request. */
const LAST_USE_RESOLUTION_MS = 60_000;
const HINT_LENGTH = 6;
const MAX_TOKEN_LENGTH = 512;

export class ScimTokenService {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates a token; the returned `token` is the only time it exists in plain text. */
  async create(ctx: Context, name: string): Promise<{ token: string; view: ScimTokenView }> {
    authorize(ctx.actor, 'scim.manage');
    const clean = (name ?? '').trim();
    const problem = clean ? textProblem('Name', clean, 100) : 'Name is required.';
    if (problem) throw new ValidationError({ name: problem });
    const token = newToken();
    return this.transactions.run(ctx, async (tx) => {
      // Names label audit events, so two live tokens never share one.
      const live = await this.models.ScimToken.findAll({ attributes: ['name'], where: { revokedAt: null }, transaction: tx.transaction });
      if (live.some((t) => t.name.toLowerCase() === clean.toLowerCase())) {
        throw new ValidationError({ name: `A token named "${clean}" already exists; revoke it or choose another name.` });
      }
      const id = newId();
      await this.models.ScimToken.create(
        {
          id,
          name: clean,
          tokenHash: hashToken(token),
          tokenHint: token.slice(0, HINT_LENGTH),
          createdAt: this.clock.now(),
          createdBy: ctx.actor.userId,
          createdByLabel: ctx.actor.label.slice(0, 255),
        },
        { transaction: tx.transaction },
      );
      await this.audit.record(tx, 'scim_token.created', { name: clean }, { type: 'scim_token', id, label: clean });
      const row = await this.models.ScimToken.findByPk(id, { transaction: tx.transaction });
      return { token, view: present(row!.get({ plain: true })) };
    });
  }

  /** Every token, live ones first, newest first. */
  async list(ctx: Context): Promise<ScimTokenView[]> {
    authorize(ctx.actor, 'scim.manage');
    const rows = await this.models.ScimToken.findAll({ order: [['createdAt', 'DESC'], ['id', 'ASC']], transaction: ctx.transaction });
    const views = rows.map((r) => present(r.get({ plain: true })));
    return [...views.filter((v) => !v.revokedAt), ...views.filter((v) => v.revokedAt)];
  }

  /** Revokes a token at once: the next request with it answers 401. */
  async revoke(ctx: Context, id: string): Promise<ScimTokenView> {
    authorize(ctx.actor, 'scim.manage');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.models.ScimToken.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!row) throw new NotFound('No such SCIM token.');
      if (row.revokedAt) throw new InvalidTransition(`The token "${row.name}" is already revoked.`);
      await this.models.ScimToken.update({ revokedAt: this.clock.now(), revokedByLabel: ctx.actor.label.slice(0, 255) }, { where: { id }, transaction: tx.transaction });
      await this.audit.record(tx, 'scim_token.revoked', { name: row.name }, { type: 'scim_token', id, label: row.name });
      const after = await this.models.ScimToken.findByPk(id, { transaction: tx.transaction });
      return present(after!.get({ plain: true }));
    });
  }

  /**
   * The live token matching `token`, or null. Looked up by its hash (the hash is the
   * index key, so no comparison leaks timing about stored tokens). Records the use.
   */
  async authenticate(token: string, ip: string | null): Promise<ScimTokenView | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    // Plain SQL: every SCIM request starts here (src/db/sql.ts).
    const [found] = await this.models.sql.select<Omit<ScimTokenAttributes, 'tokenHash'>>(
      'SELECT id, name, token_hint AS tokenHint, created_at AS createdAt, created_by AS createdBy, created_by_label AS createdByLabel, last_used_at AS lastUsedAt, last_used_ip AS lastUsedIp, revoked_at AS revokedAt, revoked_by_label AS revokedByLabel FROM scim_tokens WHERE token_hash = ? AND revoked_at IS NULL',
      [hashToken(token)],
    );
    if (!found) return null;
    const row = { ...found, tokenHash: '', createdAt: sqlDate(found.createdAt)!, lastUsedAt: sqlDate(found.lastUsedAt), revokedAt: null };
    const now = this.clock.now();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USE_RESOLUTION_MS) {
      await this.recordUse(row.id, now, ip);
    }
    return present(row);
  }

  private async recordUse(id: string, now: Date, ip: string | null): Promise<void> {
    const stale = new Date(now.getTime() - LAST_USE_RESOLUTION_MS);
    try {
      // Conditional, so parallel requests of one directory write it once.
      await this.models.ScimToken.update(
        { lastUsedAt: now, lastUsedIp: ip?.slice(0, 64) ?? null },
        { where: { id, [Op.or]: [{ lastUsedAt: null }, { lastUsedAt: { [Op.lt]: stale } }] } },
      );
    } catch {
      // The last-use stamp is informational: failing to write it must not refuse a valid token.
    }
  }
}

function present(row: ScimTokenAttributes): ScimTokenView {
  return {
    id: row.id,
    name: row.name,
    hint: row.tokenHint,
    createdAt: row.createdAt,
    createdBy: row.createdByLabel,
    createdById: row.createdBy,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedByLabel,
  };
}
