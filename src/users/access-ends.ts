// Access that ends by itself: an account's optional end date (UTC). Setting, moving or
// clearing it is one audited write; at the date the account is deactivated through the one
// deactivation path (UserService.deactivate: sessions, refresh tokens and grants end in
// its transaction, back-channel logout after commit, the seat freed), after re-reading the
// date under the account's row lock, so a date moved later meanwhile is respected.
import type { Clock } from '../clock.js';
import { systemContext, type Context, type TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import { Forbidden, ValidationError } from '../errors.js';
import { authorize } from '../roles/authorize.js';
import type { RoleService } from '../roles/role-service.js';
import type { UserView } from './user-presenter.js';
import type { UserService } from './user-service.js';
import { parseZonedDateTime } from '../zoned-time.js';

/** The deactivation reason kept on the account and in the audit trail. */
export const ACCESS_ENDED_REASON = 'access ended (end date)';

/** What a reactivation of an account past its end date is told (every path: pages, SCIM, CSV, LDAP). */
export const ACCESS_ENDED_REFUSAL = "This account's access ended on its end date. Reactivate it together with a new end date, or clear the end date.";

/** Why an end date cannot be set, or null. */
export function accessEndProblem(endsAt: Date, now: Date): string | null {
  if (Number.isNaN(endsAt.getTime())) return 'The access end date is not a date and time.';
  if (endsAt.getTime() <= now.getTime()) return 'The access end date must be in the future.';
  if (endsAt.getTime() > now.getTime() + 100 * 365 * 86_400_000) return 'The access end date must be within 100 years.';
  return null;
}

/** An end date as a form or file gives it (text in `timeZone`, or an instant): none, the instant, or why not. */
export function accessEndOf(value: Date | string | null | undefined, timeZone: string, now: Date): { at: Date | null } | { problem: string } {
  if (value === undefined || value === null || value === '') return { at: null };
  const at = typeof value === 'string' ? parseZonedDateTime(value, timeZone) : value;
  if (!at) return { problem: `"${String(value).slice(0, 40)}" is not a date and time such as 2030-12-31 17:00 (${timeZone}).` };
  const problem = accessEndProblem(at, now);
  return problem ? { problem } : { at };
}

/** True when the account's end date has come (its access is over by date). */
export function accessEnded(user: Pick<UserView, 'accessEndsAt'>, now: Date): boolean {
  return !!user.accessEndsAt && user.accessEndsAt.getTime() <= now.getTime();
}

export class AccessEnds {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Sets, moves or clears (null) the end date. Whoever sets it receives the reminders.
   * Moving it resets them, so the new date gets its own. Joins the caller's transaction.
   */
  async set(ctx: Context, id: string, endsAt: Date | null): Promise<UserView> {
    authorize(ctx.actor, 'users.manage');
    if (endsAt) {
      const problem = accessEndProblem(endsAt, this.clock.now());
      if (problem) throw new ValidationError({ accessEndsAt: problem });
    }
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, id);
      if ((user.accessEndsAt?.getTime() ?? null) === (endsAt?.getTime() ?? null)) return user;
      if (endsAt && (await this.roles.ownerId(tx)) === id) throw new Forbidden('The owner cannot have an access end date: the owner cannot be deactivated.');
      const now = this.clock.now();
      await this.models.User.update(
        { accessEndsAt: endsAt, accessEndReminders: 0, accessEndSetBy: endsAt ? (tx.actor.userId ?? null) : null, version: user.version + 1, updatedAt: now },
        { where: { id }, transaction: tx.transaction },
      );
      await this.audit.record(tx, 'user.access_end_changed', { from: user.accessEndsAt?.toISOString() ?? null, to: endsAt?.toISOString() ?? null }, { type: 'user', id, label: user.username });
      return this.users.get(id, tx);
    });
  }

  /** Sets the end date and reactivates in one transaction (a reactivation past the old date). */
  async reactivateWith(ctx: Context, id: string, endsAt: Date | null): Promise<UserView> {
    return this.transactions.run(ctx, async (tx) => {
      await this.set(tx, id, endsAt);
      return this.users.reactivate(tx, id);
    });
  }

  /** Active accounts whose end date has come, oldest date first. */
  async due(limit = 100): Promise<string[]> {
    const rows = await this.models.sql.select<{ id: string }>(
      "SELECT id FROM users WHERE status = 'active' AND access_ends_at IS NOT NULL AND access_ends_at <= ? ORDER BY access_ends_at, id LIMIT " + Math.max(1, Math.floor(limit)),
      [this.clock.now()],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Deactivates the account if its end date has come — re-read under its row lock in the
   * deactivation's own transaction, so a date moved or cleared meanwhile wins. True when
   * this call ended the account's access.
   */
  async endIfDue(id: string): Promise<boolean> {
    const ctx = systemContext('system', 'access end date');
    return this.transactions.run(ctx, async (tx: TxContext) => {
      const user = await this.users.getForUpdate(tx, id);
      if (user.status !== 'active' || !accessEnded(user, this.clock.now())) return false;
      await this.users.deactivate(tx, id, ACCESS_ENDED_REASON);
      return true;
    });
  }
}
