// Licence seats (SPEC "Seats", seed 000). Usage per pool is counted from the tables of
// truth: accounts that are unconfirmed or active, plus invited addresses with a live
// invitation and no account. Every seat-taking write calls `take` inside its own
// transaction: the pool row is locked (SELECT … FOR UPDATE; SQLite's write lock), then
// usage is counted and written back to the row, so the limit holds across processes.
import type { Config } from '../../config/index.js';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { SeatLimitReached, ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import { KINDS, type Kind } from '../users/user-model.js';

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
}

type TxContext = Context & { transaction: NonNullable<Context['transaction']> };

export class SeatService {
  constructor(
    private readonly models: Models,
    private readonly config: Pick<Config, 'seats'>,
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
      nearLimit: limit.value !== null && used >= Math.ceil(limit.value * 0.9),
      overLimit: limit.value !== null && used > limit.value,
    };
  }

  async allUsage(): Promise<PoolUsage[]> {
    return Promise.all(KINDS.map((pool) => this.usage(pool)));
  }

  /**
   * Takes one seat in `pool` for the write in `ctx.transaction`, or throws SeatLimitReached.
   * Must run before the row that uses the seat is written, in the same transaction.
   */
  async take(ctx: TxContext, pool: Kind): Promise<void> {
    const limit = await this.limit(pool, ctx);
    if (limit.value === null) return; // unlimited: nothing to serialize
    await this.models.SeatPool.findOne({ where: { pool }, lock: ctx.transaction.LOCK.UPDATE, transaction: ctx.transaction });
    const { accounts, invited } = await this.count(pool, ctx);
    const used = accounts + invited;
    if (used >= limit.value) throw new SeatLimitReached(pool, used, limit.value);
    await this.models.SeatPool.update({ inUse: used + 1, updatedAt: this.clock.now() }, { where: { pool }, transaction: ctx.transaction });
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
    if (limit !== null && (!Number.isSafeInteger(limit) || limit < 0)) throw new ValidationError({ limit: 'Limit must be a whole number of 0 or more, or empty for unlimited.' });
    if (this.config.seats[pool] !== null) {
      throw new ValidationError({ limit: `The ${pool} seat limit is set by configuration (SEATS_${pool.toUpperCase()}) and cannot be changed here.` });
    }
    await this.transactions.run(ctx, async (tx) => {
      const before = await this.models.SeatPool.findByPk(pool, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      await this.models.SeatPool.update({ seatLimit: limit, updatedAt: this.clock.now() }, { where: { pool }, transaction: tx.transaction });
      await this.audit.record(tx, 'seats.limit_changed', { pool, from: before?.seatLimit ?? null, to: limit }, { type: 'seat_pool', id: pool, label: pool });
    });
  }

  private async limit(pool: Kind, ctx?: Context): Promise<{ value: number | null; fromConfig: boolean }> {
    const configured = this.config.seats[pool];
    if (configured !== null) return { value: configured, fromConfig: true };
    const row = await this.models.SeatPool.findByPk(pool, { transaction: ctx?.transaction });
    return { value: row?.seatLimit ?? null, fromConfig: false };
  }

  private async count(pool: Kind, ctx?: Context): Promise<{ accounts: number; invited: number }> {
    const [row] = await this.models.sequelizeQuery<{ accounts: number | string; invited: number | string }>(
      `SELECT
         (SELECT COUNT(*) FROM users WHERE kind = :pool AND status IN ('unconfirmed', 'active')) AS accounts,
         (SELECT COUNT(DISTINCT i.email_normalized) FROM invitations i
           WHERE i.kind = :pool AND i.status = 'pending' AND i.expires_at > :now
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email_normalized = i.email_normalized)) AS invited`,
      { pool, now: this.clock.now() },
      ctx,
    );
    return { accounts: Number(row!.accounts), invited: Number(row!.invited) };
  }
}
