// Reactivation by emailed link (per-status actions, "once the
// reactivation sent user will receive the reactivate link … click on accept link"). An
// admin sends the link to an inactive account; it is valid 72 hours, single use, and a
// newer link kills older ones. The account becomes active — taking its seat — only when
// its owner follows the link, through the one reactivation path (users.reactivate), so a
// full pool refuses it then, and the link stays usable for when a seat is free.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { DomainError, InvalidTransition, SeatLimitReached } from '../errors.js';
import { hashToken, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { reactivationLinkMail } from '../mail/templates/reactivation-link.js';
import { authorize } from '../roles/authorize.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserService } from './user-service.js';
import type { UserView } from './user-presenter.js';

export const REACTIVATION_TTL_HOURS = 72;
/** The public page the link opens (joined to PUBLIC_URL). */
export const REACTIVATE_PATH = '/reactivate';

export type ReactivationProblem = 'invalid' | 'used' | 'expired' | 'not_inactive';

export class ReactivationLinkError extends DomainError {
  constructor(
    readonly problem: ReactivationProblem,
    readonly title: string,
    message: string,
    status: number,
  ) {
    super(`reactivation_${problem}`, message, status);
  }
}

const INVALID = () => new ReactivationLinkError('invalid', 'This reactivation link is not valid', 'Open the newest link you received, with nothing cut off, or ask your administrator for a new one.', 404);
const USED = () => new ReactivationLinkError('used', 'This reactivation link has been used', 'Your account was reactivated with it. Sign in with your username and password.', 410);
const EXPIRED = () => new ReactivationLinkError('expired', 'This reactivation link has expired', `Links work for ${REACTIVATION_TTL_HOURS} hours. Ask your administrator to send a new one.`, 410);
const NOT_INACTIVE = () => new ReactivationLinkError('not_inactive', 'Your account is not inactive', 'There is nothing to reactivate: your account was already reactivated or removed. Try signing in.', 409);

export class ReactivationLinks {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly publicUrl: string,
  ) {}

  linkFor(token: string): string {
    return `${this.publicUrl}${REACTIVATE_PATH}?token=${encodeURIComponent(token)}`;
  }

  /** Mails a new link to an inactive account (older unused links die). Takes no seat yet. */
  async send(ctx: Context, userId: string): Promise<{ expiresAt: Date }> {
    authorize(ctx.actor, 'users.manage');
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, userId);
      if (user.status !== 'inactive') throw new InvalidTransition(`Only inactive accounts can be reactivated; this one is ${user.status}.`);
      if (!user.email) throw new InvalidTransition('This account has no email address to mail a link to: reactivate it at once, or give it an address first.');
      // The link reactivates in the admin's name: the same rule as reactivating at once.
      await this.users.assertMayChange(tx, user, 'status');
      const now = this.clock.now();
      const token = newToken();
      const expiresAt = addMs(now, REACTIVATION_TTL_HOURS * HOUR_MS);
      await this.models.ReactivationLink.destroy({ where: { userId, usedAt: null }, transaction: tx.transaction });
      await this.models.ReactivationLink.create({ userId, tokenHash: hashToken(token), createdByLabel: ctx.actor.label.slice(0, 255), createdAt: now, expiresAt }, { transaction: tx.transaction });
      const organizationName = await this.settings.get('organizationName', tx);
      await this.outbox.enqueue(tx, user.email, reactivationLinkMail({ organizationName, name: user.name, username: user.username, link: this.linkFor(token), expiresAt }));
      await this.audit.record(tx, 'user.reactivation_link_sent', { expiresAt: expiresAt.toISOString() }, { type: 'user', id: userId, label: user.username });
      return { expiresAt };
    });
  }

  /** The account a usable link reactivates; throws the link's problem otherwise. */
  async check(token: string): Promise<Pick<UserView, 'username' | 'name'>> {
    const row = await this.find(token);
    this.assertUsable(row);
    const user = await this.users.get(row.userId).catch(() => null);
    if (!user || user.status !== 'inactive') throw NOT_INACTIVE();
    return { username: user.username, name: user.name };
  }

  /**
   * The owner follows the link: it is claimed and the account reactivated in one
   * transaction, so a refusal (a full pool) leaves the link usable. The refusal is audited.
   */
  async follow(ctx: Context, token: string): Promise<UserView> {
    await this.check(token);
    try {
      return await this.transactions.run(ctx, async (tx) => {
        const now = this.clock.now();
        const [claimed] = await this.models.ReactivationLink.update(
          { usedAt: now },
          { where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { [Op.gt]: now } }, transaction: tx.transaction },
        );
        if (claimed !== 1) throw USED();
        const row = (await this.models.ReactivationLink.findOne({ where: { tokenHash: hashToken(token) }, transaction: tx.transaction }))!;
        const system: TxContext = { ...tx, actor: { userId: null, label: 'reactivation link', permissions: new Set(['*']) } };
        try {
          return await this.users.reactivate(system, row.userId);
        } catch (err) {
          if (err instanceof InvalidTransition) throw NOT_INACTIVE();
          throw err;
        }
      });
    } catch (err) {
      if (err instanceof SeatLimitReached && !ctx.transaction) {
        await this.audit.record(ctx, 'seats.limit_reached', { pool: err.pool, used: err.used, limit: err.limit, attempted: 'reactivation link' });
      }
      throw err;
    }
  }

  private async find(token: string) {
    if (!token || token.length > 200) throw INVALID();
    const row = await this.models.ReactivationLink.findOne({ where: { tokenHash: hashToken(token) } });
    if (!row) throw INVALID();
    return row.get({ plain: true });
  }

  private assertUsable(row: { usedAt: Date | null; expiresAt: Date }): void {
    if (row.usedAt) throw USED();
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) throw EXPIRED();
  }
}
