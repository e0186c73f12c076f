// Licence seats. Usage per pool is counted from the tables of truth: accounts that are
// unconfirmed or active, plus invited addresses with a live invitation and no account.
// Every seat-taking write calls `take` inside its own transaction: the pool row is locked
// (SELECT … FOR UPDATE; SQLite's write lock), then usage is checked and written back to
// the row, so the limit holds across processes.
//
// Counting is O(seats in use), too slow to repeat on every creation in a large workspace
// (docs/decisions.md). So the pool row's `in_use` is kept as an upper bound of usage:
// every seat taken goes through `take`, which raises it; seats freed (deactivation,
// deletion, expiry, cancellation) leave it high. While the bound proves a free seat far
// from the limit, `take` only raises it; near the limit (≥ 90%), or when the bound is
// unknown (-1), it counts exactly and rewrites it. Decisions are therefore the same as
// exact counting as long as the bound is not below usage. It is unknown while the pool is
// unlimited (creations then skip the exclusive lock), and `setLimit` recounts it.
// Anything writing accounts or invitations by bulk SQL must set `in_use = -1`.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { Statement } from '../db/sql.js';
import { SeatLimitReached, ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import { KINDS, type Kind } from '../users/user-model.js';
import { NEARLY_FULL_RATIO, seatLevel, type SeatLevel } from './seat-state.js';

export interface PoolUsage {
  pool: Kind;
  used: number;
  accounts: number;
  invited: number;
  limit: number | null;
  /** The limit comes from configuration (the licence) and is read-only on pages. */
  limitFromConfig: boolean;
  /** Use at or above 90% of the limit (pages warn). */
  nearLimit: boolean;
  /** Use above the limit after it was lowered: nobody is removed, new seats are blocked. */
  overLimit: boolean;
  /** The one state every page words the same way (seat-state.ts). */
  level: SeatLevel;
}

/** Limits fixed outside the application (the licence), as the shell reads them. */
export interface LicenceLimits {
  /** Per pool; null: not fixed, the owner sets it on the Seats page. */
  limits: Readonly<Record<Kind, number | null>>;
  /** Where an operator changes a fixed limit, named when a change here is refused. */
  setIn: Readonly<Record<Kind, string>>;
}

export class SeatService {
  /**
   * Pools this process last found unlimited: a hint of which statement to try first (a
   * shared-lock read rather than the conditional write), never trusted for a decision.
   */
  private readonly seenUnlimited = new Set<Kind>();

  constructor(
    private readonly models: Models,
    private readonly licence: LicenceLimits,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  async usage(pool: Kind, ctx?: Context): Promise<PoolUsage> {
    const [limit, counts] = await Promise.all([this.limit(pool, ctx), this.count(pool, ctx)]);
    const used = counts.accounts + counts.invited;
    return {
      pool,
      used,
      ...counts,
      limit: limit.value,
      limitFromConfig: limit.fromConfig,
      nearLimit: limit.value !== null && used >= Math.ceil(limit.value * NEARLY_FULL_RATIO),
      overLimit: limit.value !== null && used > limit.value,
      level: seatLevel({ pool, used, limit: limit.value }),
    };
  }

  async allUsage(): Promise<PoolUsage[]> {
    return Promise.all(KINDS.map((pool) => this.usage(pool)));
  }

  /**
   * Takes one seat in `pool` for the write in `ctx.transaction`, or throws SeatLimitReached.
   * Runs in the same transaction as that write: before it, or after it when the write is a
   * new account named by `writtenUserId` (then counted as if not yet there).
   */
  async take(ctx: TxContext, pool: Kind, options: { writtenUserId?: string } = {}): Promise<void> {
    const t = ctx.transaction;
    const configured = this.licence.limits[pool];
    if (configured === null && this.seenUnlimited.has(pool)) {
      // Unlimited when this process last looked: one shared-lock read confirms it. The shared
      // lock lets parallel creations proceed together, yet makes a `setLimit` (FOR UPDATE)
      // wait for this one to commit, so its recount includes this account.
      const row = await this.poolRow(pool, ctx, 'SHARE');
      if (row.seatLimit === null && row.inUse < 0) return;
      // A limit was set meanwhile: go on as for a limited pool. Its write upgrades the shared
      // lock, which may meet another upgrader in a deadlock; the transaction runner retries.
      this.seenUnlimited.delete(pool);
    }
    if (await this.raiseBoundIfFar(ctx, pool, configured)) return;
    // Near the limit, the bound unknown, or no limit: decide under the exclusive lock.
    const row = await this.poolRow(pool, ctx, 'UPDATE');
    const limit = configured ?? row.seatLimit;
    if (limit === null) {
      // Unlimited: the bound is not kept, so mark it unknown (one write, then never again).
      if (row.inUse >= 0) await this.models.SeatPool.update({ inUse: -1 }, { where: { pool }, transaction: t });
      this.seenUnlimited.add(pool);
      return;
    }
    const counts = await this.count(pool, ctx, options.writtenUserId);
    const used = counts.accounts + counts.invited;
    if (used >= limit) throw new SeatLimitReached(pool, used, limit);
    await this.models.SeatPool.update({ inUse: used + 1, updatedAt: this.clock.now() }, { where: { pool }, transaction: t });
  }

  /**
   * Takes up to `wanted` seats in `pool` at once for a batch of new accounts written in
   * `ctx.transaction` after this call (seats first: the batch's rows are not counted yet).
   * The same decision as `wanted` calls of `take` in a row: as many as are free are granted,
   * in order; `used` is the usage after the grant, which a refused row reports.
   */
  async takeMany(ctx: TxContext, pool: Kind, wanted: number): Promise<{ granted: number; used: number; limit: number | null }> {
    if (wanted <= 0) return { granted: 0, used: 0, limit: null };
    const configured = this.licence.limits[pool];
    const limitSql = configured === null ? 'seat_limit' : String(configured);
    const { affectedRows } = await this.models.sql.write(
      `UPDATE seat_pools SET in_use = in_use + ?, updated_at = ? WHERE pool = ? AND in_use >= 0 AND ${limitSql} IS NOT NULL AND (in_use + ?) * 10 <= ${limitSql} * 9`,
      [wanted, this.clock.now(), pool, wanted],
      ctx,
    );
    if (affectedRows === 1) return { granted: wanted, used: 0, limit: configured };
    const row = await this.poolRow(pool, ctx, 'UPDATE');
    const limit = configured ?? row.seatLimit;
    if (limit === null) {
      if (row.inUse >= 0) await this.models.SeatPool.update({ inUse: -1 }, { where: { pool }, transaction: ctx.transaction });
      this.seenUnlimited.add(pool);
      return { granted: wanted, used: 0, limit: null };
    }
    const counts = await this.count(pool, ctx);
    const before = counts.accounts + counts.invited;
    const granted = Math.min(wanted, Math.max(0, limit - before));
    await this.models.SeatPool.update({ inUse: before + granted, updatedAt: this.clock.now() }, { where: { pool }, transaction: ctx.transaction });
    return { granted, used: before + granted, limit };
  }

  /**
   * A new account's seat check folded into its INSERT (one statement fewer for every
   * creation into an unlimited pool): while this process last found the pool unlimited, the
   * FROM … WHERE that lets the INSERT write the row only if the pool's row, read under the
   * same shared lock as `take` reads it, still says unlimited. A row so written has taken
   * its seat. Null when `take` must decide; after a conditional INSERT that wrote nothing,
   * call `unlimitedRefuted` and then `take`.
   */
  unlimitedCondition(pool: Kind): Statement | null {
    if (this.licence.limits[pool] !== null || !this.seenUnlimited.has(pool)) return null;
    return { sql: `FROM seat_pools WHERE pool = ? AND seat_limit IS NULL AND in_use < 0${this.lockClause('SHARE')}`, params: [pool] };
  }

  /** The pool was not unlimited after all (a limit was set meanwhile). */
  unlimitedRefuted(pool: Kind): void {
    this.seenUnlimited.delete(pool);
  }

  /**
   * The fast path: one conditional write, checked by the database under its row lock (held
   * to commit), raising a known bound that stays below 90% of the limit. In integers, so
   * both dialects agree: (in_use + 1) * 10 <= limit * 9.
   */
  private async raiseBoundIfFar(ctx: TxContext, pool: Kind, configured: number | null): Promise<boolean> {
    const limitSql = configured === null ? 'seat_limit' : String(configured);
    const { affectedRows } = await this.models.sql.write(
      `UPDATE seat_pools SET in_use = in_use + 1, updated_at = ? WHERE pool = ? AND in_use >= 0 AND ${limitSql} IS NOT NULL AND (in_use + 1) * 10 <= ${limitSql} * 9`,
      [this.clock.now(), pool],
      ctx,
    );
    return affectedRows === 1;
  }

  /**
   * An account gave up this address (deleted, or its email changed): a live invitation to
   * it counts again, a seat taken without `take`, so the bound of
   * that invitation's pool rises with it.
   */
  async addressReleased(ctx: TxContext, emailNormalized: string): Promise<void> {
    const live = await this.models.Invitation.findAll({
      attributes: ['kind'],
      where: { emailNormalized, status: 'pending', expiresAt: { [Op.gt]: this.clock.now() } },
      transaction: ctx.transaction,
    });
    const pools = [...new Set(live.map((i) => i.kind))];
    if (pools.length) await this.models.SeatPool.increment('inUse', { by: 1, where: { pool: { [Op.in]: pools }, inUse: { [Op.gte]: 0 } }, transaction: ctx.transaction });
  }

  /**
   * Runs a seat-taking unit of work. A refusal rolls the work back whole; the refusal
   * itself is then audited in its own write so it survives the rollback.
   */
  async runTakingSeat<T>(ctx: Context, work: (ctx: TxContext) => Promise<T>, target?: { type: 'user' | 'invitation'; label: string }): Promise<T> {
    try {
      return await this.transactions.run(ctx, work);
    } catch (err) {
      if (err instanceof SeatLimitReached && !ctx.transaction) {
        await this.audit.record(ctx, 'seats.limit_reached', { pool: err.pool, used: err.used, limit: err.limit, attempted: target?.label ?? null });
      }
      throw err;
    }
  }

  /** The owner's limit (seats.manage); refused while configuration fixes the pool's limit. */
  async setLimit(ctx: Context, pool: Kind, limit: number | null): Promise<void> {
    authorize(ctx.actor, 'seats.manage');
    if (!(KINDS as readonly string[]).includes(pool)) throw new ValidationError({ pool: `Pool must be one of ${KINDS.join(', ')}.` });
    // The column is a 32-bit INTEGER: larger values would fail on MySQL with a server error.
    if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0 || limit > 1_000_000_000)) throw new ValidationError({ limit: 'Limit must be a whole number from 0 to 1,000,000,000, or empty for unlimited.' });
    if (this.licence.limits[pool] !== null) {
      throw new ValidationError({ limit: `The ${pool} seat limit is set by configuration (${this.licence.setIn[pool]}) and cannot be changed here.` });
    }
    await this.transactions.run(ctx, async (tx) => {
      const before = await this.models.SeatPool.findByPk(pool, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      // Under the lock every earlier creation has committed (limited ones held it, unlimited
      // ones a shared lock), so this count is the bound's fresh start.
      const counts = limit === null ? null : await this.count(pool, tx);
      const inUse = counts ? counts.accounts + counts.invited : -1;
      await this.models.SeatPool.update({ seatLimit: limit, inUse, updatedAt: this.clock.now() }, { where: { pool }, transaction: tx.transaction });
      await this.audit.record(tx, 'seats.limit_changed', { pool, from: before?.seatLimit ?? null, to: limit }, { type: 'seat_pool', id: pool, label: pool });
    });
  }

  /** The pool's row, locked (SQLite: its transaction already holds the write lock). Plain SQL: every creation reads it. */
  private async poolRow(pool: Kind, ctx: TxContext, lock: 'UPDATE' | 'SHARE'): Promise<{ seatLimit: number | null; inUse: number }> {
    const [row] = await this.models.sql.select<{ seatLimit: number | null; inUse: number }>(`SELECT seat_limit AS seatLimit, in_use AS inUse FROM seat_pools WHERE pool = ?${this.lockClause(lock)}`, [pool], ctx);
    if (!row) throw new Error(`Seat pool ${pool} is missing; run the migrations.`);
    return row;
  }

  /** SQLite: none, its transaction already holds the write lock. */
  private lockClause(lock: 'UPDATE' | 'SHARE'): string {
    if (this.models.SeatPool.sequelize!.getDialect() === 'sqlite') return '';
    return lock === 'UPDATE' ? ' FOR UPDATE' : ' LOCK IN SHARE MODE';
  }

  private async limit(pool: Kind, ctx?: Context): Promise<{ value: number | null; fromConfig: boolean }> {
    const configured = this.licence.limits[pool];
    if (configured !== null) return { value: configured, fromConfig: true };
    const row = await this.models.SeatPool.findByPk(pool, { transaction: ctx?.transaction });
    return { value: row?.seatLimit ?? null, fromConfig: false };
  }

  /** Usage from the tables of truth; `exceptUserId` counts as if that account did not exist. */
  private async count(pool: Kind, ctx?: Context, exceptUserId = ''): Promise<{ accounts: number; invited: number }> {
    const [row] = await this.models.sequelizeQuery<{ accounts: number | string; invited: number | string }>(
      `SELECT
         (SELECT COUNT(*) FROM users WHERE kind = :pool AND status IN ('unconfirmed', 'active') AND id <> :exceptUserId) AS accounts,
         (SELECT COUNT(DISTINCT i.email_normalized) FROM invitations i
           WHERE i.kind = :pool AND i.status = 'pending' AND i.expires_at > :now
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email_normalized = i.email_normalized AND u.id <> :exceptUserId)) AS invited`,
      { pool, now: this.clock.now(), exceptUserId },
      ctx,
    );
    return { accounts: Number(row!.accounts), invited: Number(row!.invited) };
  }
}
