// Bearer tokens for directories that provision over SCIM (created by an
// admin, shown once, stored hashed, named, revocable, last use shown). The token's name is
// the actor label of every SCIM write in the audit trail. Each token carries a permission
// set chosen at creation from what its creator holds, and acts with that set ∩ its creator's
// current permissions (rules in token-permissions.ts).
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import { systemContext, type Context, type TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { sqlDate } from '../db/sql.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Forbidden, InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { hashToken, newId, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize, can } from '../roles/authorize.js';
import { assertCanGrantPermissions } from '../roles/role-service.js';
import { textProblem } from '../users/user-validation.js';
import type { ScimTokenAttributes } from './scim-token-model.js';
import type { ScimTokenWatch } from './scim-token-watch.js';
import { creatorsNow } from './token-creators.js';
import type { TokenAuthenticationCache } from './token-authentication-cache.js';
import type { ConnectionChoice, ConnectionService } from '../connections/connection-service.js';
import { defaultPermissions, normalizeSet, parseSet, standingOf, stoppedDetail } from './token-permissions.js';
import type { ScimTokenAuthentication, ScimTokenView } from './scim-token-view.js';

export type { ScimTokenAuthentication, ScimTokenView } from './scim-token-view.js';

/** Last use is written at most this often per token, not on every request. */
const LAST_USE_RESOLUTION_MS = 60_000;
const HINT_LENGTH = 6;
const MAX_TOKEN_LENGTH = 512;
const COLUMNS =
  'id, name, token_hint AS tokenHint, created_at AS createdAt, created_by AS createdBy, created_by_label AS createdByLabel, last_used_at AS lastUsedAt, last_used_ip AS lastUsedIp, revoked_at AS revokedAt, revoked_by_label AS revokedByLabel, permissions, needs_review AS needsReview, orphaned_at AS orphanedAt, connection_id AS connectionId';

export class ScimTokenService {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly watch: ScimTokenWatch,
    private readonly connections: ConnectionService,
    private readonly cache: TokenAuthenticationCache,
  ) {}

  /**
   * Creates a token carrying `permissions` (default: all the creator holds but seats and
   * billing) for a provisioning connection: an existing SCIM connection, or a new one
   * (default: named after the token). The returned `token` is the only time it exists in
   * plain text.
   */
  async create(ctx: Context, name: string, permissions?: readonly string[], connection: ConnectionChoice = {}): Promise<{ token: string; view: ScimTokenView }> {
    authorize(ctx.actor, 'scim.manage');
    const clean = (name ?? '').trim();
    const problem = clean ? textProblem('Name', clean, 100) : 'Name is required.';
    if (problem) throw new ValidationError({ name: problem });
    const set = normalizeSet(permissions ?? defaultPermissions(ctx.actor));
    assertCanGrantPermissions(ctx.actor, set);
    return this.transactions.run(ctx, async (tx) => {
      await this.assertNameFree(tx, clean);
      const chosen = await this.connections.forNewToken(tx, connection, clean);
      const issued = await this.issue(tx, clean, set, chosen.id);
      await this.audit.record(tx, 'scim_token.created', { name: clean, permissions: set, connection: chosen.name }, { type: 'scim_token', id: issued.id, label: clean });
      return { token: issued.token, view: await this.view(tx, issued.id) };
    });
  }

  /**
   * Replaces a live token's secret: a new token with the same name, permission set and
   * connection (so the directory keeps seeing its own externalIds), the old one revoked at
   * once. The rotator becomes its creator, so must hold its whole set.
   */
  async rotate(ctx: Context, id: string): Promise<{ token: string; view: ScimTokenView }> {
    authorize(ctx.actor, 'scim.manage');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.locked(tx, id);
      const set = parseSet(row.permissions);
      assertCanGrantPermissions(ctx.actor, set);
      await this.markRevoked(tx, id);
      const issued = await this.issue(tx, row.name, set, row.connectionId!);
      const connection = await this.connections.get(row.connectionId!, tx);
      await this.audit.record(tx, 'scim_token.rotated', { name: row.name, replaces: id, permissions: set, connection: connection.name }, { type: 'scim_token', id: issued.id, label: row.name });
      return { token: issued.token, view: await this.view(tx, issued.id) };
    });
  }

  private async markRevoked(tx: TxContext, id: string): Promise<void> {
    await this.models.ScimToken.update({ revokedAt: this.clock.now(), revokedByLabel: tx.actor.label.slice(0, 255) }, { where: { id }, transaction: tx.transaction });
  }

  /** Names label audit events, so two live tokens never share one. */
  private async assertNameFree(tx: TxContext, name: string): Promise<void> {
    const live = await this.models.ScimToken.findAll({ attributes: ['name'], where: { revokedAt: null }, transaction: tx.transaction });
    if (live.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw new ValidationError({ name: `A token named "${name}" already exists; revoke it or choose another name.` });
    }
  }

  private async issue(tx: TxContext, name: string, set: readonly string[], connectionId: string): Promise<{ id: string; token: string }> {
    const token = newToken();
    const id = newId();
    await this.models.ScimToken.create(
      {
        id,
        name,
        tokenHash: hashToken(token),
        tokenHint: token.slice(0, HINT_LENGTH),
        createdAt: this.clock.now(),
        createdBy: tx.actor.userId,
        createdByLabel: tx.actor.label.slice(0, 255),
        permissions: JSON.stringify(set),
        needsReview: false,
        connectionId,
      },
      { transaction: tx.transaction },
    );
    return { id, token };
  }

  /** Every token with its set and standing, live ones first, newest first. */
  async list(ctx: Context): Promise<ScimTokenView[]> {
    authorize(ctx.actor, 'scim.manage');
    const rows = (await this.models.ScimToken.findAll({ order: [['createdAt', 'DESC'], ['id', 'ASC']], transaction: ctx.transaction })).map((r) => r.get({ plain: true }));
    const views = await this.present(rows, ctx);
    return [...views.filter((v) => !v.revokedAt), ...views.filter((v) => v.revokedAt)];
  }

  /** Revokes a token at once: the next request with it answers 401. */
  async revoke(ctx: Context, id: string): Promise<ScimTokenView> {
    authorize(ctx.actor, 'scim.manage');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.locked(tx, id);
      await this.markRevoked(tx, id);
      await this.audit.record(tx, 'scim_token.revoked', { name: row.name }, { type: 'scim_token', id, label: row.name });
      return this.view(tx, id);
    });
  }

  /**
   * An administrator holding scim.manage and the token's whole set becomes its creator, so an
   * orphaned or stopped token acts with its full set again; the secret does not change, so
   * the directory keeps working without being reconfigured.
   */
  async adopt(ctx: Context, id: string): Promise<ScimTokenView> {
    authorize(ctx.actor, 'scim.manage');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.locked(tx, id);
      const [view] = await this.present([row], tx);
      if (view!.status === 'active') throw new InvalidTransition(`The token "${row.name}" is not orphaned: it acts with its whole set under ${view!.createdBy}.`);
      const missing = view!.permissions.filter((p) => !can(ctx.actor, p));
      if (missing.length) throw new Forbidden(`To adopt the token "${row.name}" you must hold every permission of its set; you do not hold ${missing.join(', ')}.`);
      await this.models.ScimToken.update(
        { createdBy: ctx.actor.userId, createdByLabel: ctx.actor.label.slice(0, 255), orphanedAt: null, needsReview: false },
        { where: { id }, transaction: tx.transaction },
      );
      await this.audit.record(tx, 'scim_token.adopted', { from: row.createdByLabel, reason: view!.statusReason, permissions: view!.permissions }, { type: 'scim_token', id, label: row.name });
      return this.view(tx, id);
    });
  }

  /**
   * Confirms a migrated set, optionally narrowed to `keep` (never widened). The reviewer
   * vouches for what remains, so must hold it.
   */
  async confirmReview(ctx: Context, id: string, keep?: readonly string[]): Promise<ScimTokenView> {
    authorize(ctx.actor, 'scim.manage');
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.locked(tx, id);
      if (!row.needsReview) throw new InvalidTransition(`The permissions of the token "${row.name}" need no review.`);
      const current = parseSet(row.permissions);
      const set = keep === undefined ? current : normalizeSet(keep);
      const added = set.filter((p) => !current.includes(p));
      if (added.length) throw new ValidationError({ permissions: `A review can only remove permissions; ${added.join(', ')} is not in the token's set.` });
      assertCanGrantPermissions(ctx.actor, set);
      await this.models.ScimToken.update({ permissions: JSON.stringify(set), needsReview: false }, { where: { id }, transaction: tx.transaction });
      await this.audit.record(tx, 'scim_token.reviewed', { removed: current.filter((p) => !set.includes(p)), permissions: set }, { type: 'scim_token', id, label: row.name });
      return this.view(tx, id);
    });
  }

  /**
   * The live token matching `token` and what it acts with, why it is refused, or null when
   * no live token matches. Looked up by its hash (the hash is the index key, so no
   * comparison leaks timing about stored tokens). Records the use.
   */
  async authenticate(token: string, ip: string | null): Promise<ScimTokenAuthentication | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    const hash = hashToken(token);
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached) {
      if (cached.lastUsedAt === null || now.getTime() - cached.lastUsedAt.getTime() >= LAST_USE_RESOLUTION_MS) {
        cached.lastUsedAt = now;
        await this.recordUse(cached.tokenId, now, ip);
      }
      return cached.authentication;
    }
    const generation = this.cache.generation;
    // Plain SQL: every SCIM request not answered by the cache starts here (src/db/sql.ts).
    const [found] = await this.models.sql.select<Omit<ScimTokenAttributes, 'tokenHash'>>(`SELECT ${COLUMNS} FROM scim_tokens WHERE token_hash = ? AND revoked_at IS NULL`, [hash]);
    if (!found) return null;
    const row = { ...found, tokenHash: '', createdAt: sqlDate(found.createdAt)!, lastUsedAt: sqlDate(found.lastUsedAt), orphanedAt: sqlDate(found.orphanedAt), revokedAt: null, needsReview: !!found.needsReview };
    const [view] = await this.present([row], undefined, false);
    // The change that orphaned the token normally noticed it already (ScimTokenWatch); one
    // made some other way is noticed here, by the first request to meet it.
    if ((view!.status !== 'active') !== (row.orphanedAt !== null)) {
      await this.transactions.run(systemContext('scim', 'SCIM token check'), (tx) => this.watch.reconcile(tx, { tokenIds: [row.id] }));
    }
    let lastUsedAt = row.lastUsedAt;
    if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USE_RESOLUTION_MS) {
      lastUsedAt = now;
      await this.recordUse(row.id, now, ip);
    }
    const authentication = view!.status === 'stopped' ? { stopped: stoppedDetail(view!.name, view!.statusReason) } : { token: view!, permissions: new Set(view!.effectivePermissions) as ReadonlySet<string> };
    this.cache.put(hash, { authentication, tokenId: row.id, lastUsedAt }, generation);
    return authentication;
  }

  private async locked(tx: TxContext, id: string) {
    const row = await this.models.ScimToken.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
    if (!row) throw new NotFound('No such SCIM token.');
    if (row.revokedAt) throw new InvalidTransition(`The token "${row.name}" is already revoked.`);
    return row.get({ plain: true });
  }

  private async view(tx: TxContext, id: string): Promise<ScimTokenView> {
    const row = await this.models.ScimToken.findByPk(id, { transaction: tx.transaction });
    return (await this.present([row!.get({ plain: true })], tx))[0]!;
  }

  /**
   * Views with each live token's standing against its creator as the account is now.
   * `withConnectionNames` false (a request's authentication, which needs only the
   * connection's id) leaves the connection's name empty and saves its read.
   */
  private async present(rows: ScimTokenAttributes[], ctx?: Context, withConnectionNames = true): Promise<ScimTokenView[]> {
    const creatorIds = rows.filter((r) => !r.revokedAt && r.createdBy).map((r) => r.createdBy!);
    const creators = await creatorsNow(this.models, creatorIds, ctx);
    const connections = new Map(withConnectionNames ? (await this.connections.list(ctx)).map((c) => [c.id, c.name]) : []);
    return rows.map((row) => {
      const permissions = parseSet(row.permissions);
      const base = {
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
        permissions,
        needsReview: !!row.needsReview,
        connectionId: row.connectionId ?? '',
        connection: (row.connectionId && connections.get(row.connectionId)) || '',
      };
      if (row.revokedAt) return { ...base, status: 'revoked' as const, effectivePermissions: [], statusReason: null };
      const standing = standingOf({ name: row.name, createdBy: row.createdByLabel, createdById: row.createdBy, permissions }, row.createdBy ? (creators.get(row.createdBy) ?? null) : null);
      return { ...base, status: standing.state, effectivePermissions: standing.effective, statusReason: standing.reason };
    });
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
