// Email confirmation links: 256-bit tokens
// stored as hashes, valid 24 hours, single use. Following one marks the address proven:
// an unconfirmed account becomes active (users.confirm), an active one accepted through a
// shareable link gets emailVerified. Issuing a new link kills the older ones.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { DomainError, InvalidTransition } from '../errors.js';
import { hashToken, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserService } from '../users/user-service.js';
import type { UserView } from '../users/user-presenter.js';
import type { ConfirmationPurpose } from './email-confirmation-model.js';
import { confirmationMail } from './registration-mail.js';
import { PUBLIC_PATHS } from './public-paths.js';

/** The confirmation link is valid 24 h. */
export const CONFIRMATION_TTL_HOURS = 24;

export type ConfirmationProblem = 'invalid' | 'used' | 'expired';

export class ConfirmationLinkError extends DomainError {
  constructor(
    readonly problem: ConfirmationProblem,
    readonly title: string,
    message: string,
    status: number,
  ) {
    super(`confirmation_${problem}`, message, status);
  }
}

const INVALID = () =>
  new ConfirmationLinkError('invalid', 'This confirmation link is not valid', 'Open the newest link we sent you, with nothing cut off. You can ask for a new link on the "Resend confirmation" page.', 404);
const USED = () => new ConfirmationLinkError('used', 'Your email address is already confirmed', 'This link has been used. Sign in with your email address and password.', 410);
const EXPIRED = () =>
  new ConfirmationLinkError('expired', 'This confirmation link has expired', 'Links work for 24 hours. Ask for a new one on the "Resend confirmation" page; if you registered yourself, register again.', 410);

export class EmailConfirmations {
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

  confirmUrl(token: string): string {
    return `${this.publicUrl}${PUBLIC_PATHS.confirmEmail}?token=${encodeURIComponent(token)}`;
  }

  /** Issues a new link (older unused ones die) and mails it, in the caller's transaction. */
  async issue(ctx: Context, user: Pick<UserView, 'id' | 'email' | 'name' | 'username'>, purpose: ConfirmationPurpose): Promise<void> {
    const address = user.email;
    if (!address) throw new InvalidTransition('This account has no email address to confirm.');
    await this.transactions.run(ctx, async (tx) => {
      const now = this.clock.now();
      const token = newToken();
      const expiresAt = addMs(now, CONFIRMATION_TTL_HOURS * HOUR_MS);
      await this.models.EmailConfirmation.destroy({ where: { userId: user.id, usedAt: null }, transaction: tx.transaction });
      await this.models.EmailConfirmation.create({ userId: user.id, purpose, tokenHash: hashToken(token), createdAt: now, expiresAt }, { transaction: tx.transaction });
      const organizationName = await this.settings.get('organizationName', tx);
      await this.outbox.enqueue(tx, address, confirmationMail({ organizationName, name: user.name, confirmUrl: this.confirmUrl(token), expiresAt, purpose }));
      await this.audit.record(tx, 'registration.confirmation_sent', { purpose, expiresAt: expiresAt.toISOString() }, { type: 'user', id: user.id, label: user.username });
    });
  }

  /** Throws the link's problem (invalid, used, expired); returns quietly when it can be used. */
  async check(token: string): Promise<void> {
    const row = await this.find(token);
    this.assertUsable(row);
  }

  async confirm(ctx: Context, token: string): Promise<UserView> {
    await this.check(token);
    return this.transactions.run(ctx, async (tx) => {
      const now = this.clock.now();
      const [claimed] = await this.models.EmailConfirmation.update(
        { usedAt: now },
        { where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { [Op.gt]: now } }, transaction: tx.transaction },
      );
      if (claimed !== 1) throw USED();
      const row = (await this.models.EmailConfirmation.findOne({ where: { tokenHash: hashToken(token) }, transaction: tx.transaction }))!;
      const system: TxContext = { ...tx, source: 'registration', actor: { userId: null, label: 'email confirmation', permissions: new Set(['*']) } };
      const user = await this.users.get(row.userId, tx);
      const confirmed = user.status === 'unconfirmed' ? await this.users.confirm(system, user.id, { emailVerified: true }) : await this.users.markEmailVerified(system, user.id);
      await this.audit.record(system, 'registration.confirmed', { purpose: row.purpose }, { type: 'user', id: user.id, label: user.username });
      return confirmed;
    });
  }

  private async find(token: string) {
    if (!token || token.length > 200) throw INVALID();
    const row = await this.models.EmailConfirmation.findOne({ where: { tokenHash: hashToken(token) } });
    if (!row) throw INVALID();
    return row;
  }

  private assertUsable(row: { usedAt: Date | null; expiresAt: Date }): void {
    if (row.usedAt) throw USED();
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) throw EXPIRED();
  }
}
