// Forgotten password (forgotten-password email, link 30 min; "Security
// baseline": tokens ≥128 bits, stored hashed). request() answers the same whether or not
// an account has the address, so the form cannot tell who has an account; only the
// address's owner learns the outcome, by mail. reset() spends the link once (a conditional
// update the database enforces), sets the password through the users service, kills the
// user's other links and ends every session and token of the user in the same transaction.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, MINUTE_MS, type Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { DomainError, ValidationError } from '../errors.js';
import { hashToken, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { passwordResetMail, passwordResetNoAccountMail, passwordResetUnconfirmedMail } from '../mail/templates/password-reset.js';
import { accountActivationMail } from '../mail/templates/account-activation.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { AccessRevoker } from '../users/access-revoker.js';
import type { AccountNotices } from '../users/account-notices.js';
import type { EmailChanges } from '../users/email-changes.js';
import type { UserService } from '../users/user-service.js';
import { displayNameOf, type UserView } from '../users/user-presenter.js';
import { emailProblem, normalize } from '../users/user-validation.js';
import { passwordProblem } from './password-policy.js';
import { EqualTiming } from '../equal-timing.js';
import { awaitsActivation } from '../users/sign-in-readiness.js';
import { accountByAddress } from '../users/account-by-address.js';

/** The link works for 30 minutes. */
export const RESET_LINK_MINUTES = 30;
/** A provisioned account's first set-password link (activation email) gives its owner three days. */
export const ACTIVATION_LINK_HOURS = 72;
/**
 * At most this many live (unused, unexpired) links per account: further requests send
 * nothing, so the form cannot be used to flood someone's mailbox. The page still answers
 * the same, and the links already sent work.
 */
export const MAX_LIVE_LINKS = 3;
/** Spent and expired links are kept a day (the page can still say "expired"), then removed. */
const KEEP_DEAD_LINKS_MS = 24 * HOUR_MS;

export const PASSWORD_PATHS = { forgot: '/password/forgot', reset: '/password/reset' } as const;

export type ResetLinkProblem = 'invalid' | 'used' | 'expired' | 'account';

/** Why a reset link cannot be used, with a title and advice for the page. */
export class ResetLinkError extends DomainError {
  constructor(
    readonly problem: ResetLinkProblem,
    readonly title: string,
    message: string,
    status: number,
  ) {
    super(`reset_link_${problem}`, message, status);
  }
}

const ASK_AGAIN = 'Ask for a new link on the "Forgot your password?" page.';
const INVALID = () => new ResetLinkError('invalid', 'This reset link is not valid', `Open the newest link we sent you, with nothing cut off. ${ASK_AGAIN}`, 404);
const USED = () =>
  new ResetLinkError('used', 'This reset link has already been used', `Each link works once, and a completed reset ends every other link. If you did not change your password yourself, ${ASK_AGAIN.toLowerCase()}`, 410);
const EXPIRED = (row: { createdAt: Date; expiresAt: Date }) => {
  const minutes = Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / MINUTE_MS);
  const lifetime = minutes % 60 === 0 && minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`;
  return new ResetLinkError('expired', 'This reset link has expired', `Links work for ${lifetime}. ${ASK_AGAIN}`, 410);
};
const ACCOUNT = () => new ResetLinkError('account', 'This account cannot sign in', 'The account is not active, so its password cannot be reset. Contact your administrator.', 410);

/** What request() did; never shown to the requester (the page answers the same). */
export type ResetRequestOutcome = 'sent' | 'no_account' | 'not_active' | 'too_many_links' | 'unverified';

export class PasswordResetService {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly revoker: AccessRevoker,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly publicUrl: string,
    private readonly emailChanges: EmailChanges,
    private readonly notices: AccountNotices,
  ) {}

  /** Every outcome answers after about as long as the slowest (equal-timing.ts). */
  private readonly timing = new EqualTiming();

  /**
   * Mails a reset link to the active account with this address. An unknown address gets
   * one notice instead, so both answers cost the same work (one mail) and take the same
   * time; inactive and unconfirmed accounts get nothing (they cannot sign in, and the page
   * points unconfirmed ones to "resend confirmation"). An address someone else set and
   * nobody confirmed never gets a link; and for a week after someone else changed the
   * email, the old address hears of every request. Every request is audited with its
   * outcome. Only a malformed address is refused (that reveals nothing).
   */
  async request(ctx: Context, email: string): Promise<ResetRequestOutcome> {
    const address = String(email ?? '').trim();
    const problem = emailProblem(address);
    if (problem) throw new ValidationError({ email: problem });
    const started = this.timing.start();
    const outcome = await this.requestLink(ctx, address);
    await this.timing.settle(outcome, started);
    return outcome;
  }

  private requestLink(ctx: Context, address: string): Promise<ResetRequestOutcome> {
    return this.transactions.run(ctx, async (tx) => {
      const now = this.clock.now();
      const user = await accountByAddress(this.models, normalize(address), tx.transaction);
      if (!user) {
        // At most MAX_LIVE_LINKS such notices per address per link lifetime: the form must not flood a mailbox.
        const recent = await this.models.MailOutbox.count({ where: { toAddress: address, template: 'password-reset-no-account', createdAt: { [Op.gt]: addMs(now, -RESET_LINK_MINUTES * MINUTE_MS) } }, transaction: tx.transaction });
        if (recent < MAX_LIVE_LINKS) {
          const organizationName = await this.settings.get('organizationName', tx);
          await this.outbox.enqueue(tx, address, passwordResetNoAccountMail({ organizationName, address, signInUrl: `${this.publicUrl}/account` }));
        }
        await this.audit.record(tx, 'password.reset_requested', { outcome: 'no_account', email: address, noticed: recent < MAX_LIVE_LINKS });
        return 'no_account';
      }
      const target = { type: 'user' as const, id: user.id, label: user.username };
      if (user.status !== 'active') {
        await this.audit.record(tx, 'password.reset_requested', { outcome: 'not_active', status: user.status }, target);
        return 'not_active';
      }
      if (!user.emailVerified && (await this.emailChanges.setBySomeoneElse(tx, user))) {
        const organizationName = await this.settings.get('organizationName', tx);
        await this.outbox.enqueue(tx, user.email, passwordResetUnconfirmedMail({ organizationName, name: displayNameOf(user), confirmUrl: `${this.publicUrl}/register/resend` }));
        await this.notices.passwordResetAsked(tx, user);
        await this.audit.record(tx, 'password.reset_requested', { outcome: 'unverified' }, target);
        return 'unverified';
      }
      await this.models.PasswordReset.destroy({ where: { userId: user.id, expiresAt: { [Op.lt]: addMs(now, -KEEP_DEAD_LINKS_MS) } }, transaction: tx.transaction });
      const live = await this.models.PasswordReset.count({ where: { userId: user.id, usedAt: null, expiresAt: { [Op.gt]: now } }, transaction: tx.transaction });
      if (live >= MAX_LIVE_LINKS) {
        await this.audit.record(tx, 'password.reset_requested', { outcome: 'too_many_links', live }, target);
        return 'too_many_links';
      }
      const token = newToken();
      const expiresAt = addMs(now, RESET_LINK_MINUTES * MINUTE_MS);
      await this.models.PasswordReset.create({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt }, { transaction: tx.transaction });
      const organizationName = await this.settings.get('organizationName', tx);
      await this.outbox.enqueue(
        tx,
        user.email,
        passwordResetMail({
          organizationName,
          name: displayNameOf(user),
          resetUrl: this.resetUrl(token),
          validMinutes: RESET_LINK_MINUTES,
          forgotUrl: `${this.publicUrl}${PASSWORD_PATHS.forgot}`,
        }),
      );
      await this.notices.passwordResetAsked(tx, user);
      await this.audit.record(tx, 'password.reset_requested', { outcome: 'sent', expiresAt: expiresAt.toISOString() }, target);
      return 'sent';
    });
  }

  /**
   * Mails a new account its first set-password link (the activation email a directory's
   * accounts may get), inside the transaction that creates the account, so a creation that
   * rolls back sends nothing. The link is a reset link that lives ACTIVATION_LINK_HOURS. An
   * account without an address gets nothing now: its activation goes out when it is given
   * one (activateOnNewAddress). Returns whether it was sent.
   */
  async sendActivation(tx: TxContext, user: UserView): Promise<boolean> {
    const address = user.email;
    if (!address) return false;
    const now = this.clock.now();
    const token = newToken();
    const expiresAt = addMs(now, ACTIVATION_LINK_HOURS * HOUR_MS);
    await this.models.PasswordReset.create({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt }, { transaction: tx.transaction });
    await this.outbox.enqueue(
      tx,
      address,
      accountActivationMail({
        organizationName: await this.settings.get('organizationName', tx),
        name: user.name,
        username: user.username,
        link: this.resetUrl(token),
        validHours: ACTIVATION_LINK_HOURS,
        forgotUrl: `${this.publicUrl}${PASSWORD_PATHS.forgot}`,
      }),
    );
    await this.audit.record(tx, 'password.activation_sent', { expiresAt: expiresAt.toISOString() }, { type: 'user', id: user.id, label: user.username });
    return true;
  }

  /**
   * An account provisioned without an address is given one (by its directory, a CSV file or
   * an admin): under the activation-email setting, the activation its creation could not
   * send goes out now — once, as only the change from no address to one calls this, and
   * only while the account is active and still has no password.
   */
  async activateOnNewAddress(tx: TxContext, user: UserView): Promise<boolean> {
    if (!awaitsActivation(user, await this.settings.get('provisionedCredentialMode', tx))) return false;
    return this.sendActivation(tx, user);
  }

  /** Links are built from PUBLIC_URL only, never from the request's Host header. */
  resetUrl(token: string): string {
    return `${this.publicUrl}${PASSWORD_PATHS.reset}?token=${encodeURIComponent(token)}`;
  }

  /** Throws the link's problem; returns the account it resets when it can be used. */
  async check(token: string): Promise<UserView> {
    const row = await this.find(token);
    this.assertUsable(row);
    const user = await this.users.get(row.userId);
    if (user.status !== 'active') throw ACCOUNT();
    return user;
  }

  /** Sets the new password with a usable link; every session and token of the user ends. */
  async reset(ctx: Context, token: string, newPassword: string): Promise<UserView> {
    const user = await this.check(token);
    // Checked before the transaction so a weak password leaves the link usable and costs no hash.
    const problem = passwordProblem(String(newPassword ?? ''), { email: user.email, username: user.username });
    if (problem) throw new ValidationError({ password: problem });
    // The link is the authority: the change is the user's own (users.setPassword needs no permission).
    const self: Context = { ...ctx, actor: { userId: user.id, label: user.username, permissions: new Set() } };
    return this.transactions.run(self, async (tx) => {
      const now = this.clock.now();
      // Conditional update: of two parallel uses of one link, exactly one claims it.
      const [claimed] = await this.models.PasswordReset.update(
        { usedAt: now },
        { where: { tokenHash: hashToken(token), usedAt: null, expiresAt: { [Op.gt]: now } }, transaction: tx.transaction },
      );
      if (claimed !== 1) {
        const row = await this.models.PasswordReset.findByPk(hashToken(token), { transaction: tx.transaction });
        throw row && !row.usedAt ? EXPIRED(row) : USED();
      }
      const locked = await this.users.getForUpdate(tx, user.id);
      if (locked.status !== 'active') throw ACCOUNT();
      await this.users.setPassword(tx, user.id, newPassword);
      // Every other link of this user dies with the reset.
      await this.models.PasswordReset.update({ usedAt: now }, { where: { userId: user.id, usedAt: null }, transaction: tx.transaction });
      // Provider sessions, grants and tokens, and the pages' sessions, all end.
      await this.revoker.revokeAll(tx, user.id, 'password_reset');
      await this.audit.record(tx, 'password.reset_completed', {}, { type: 'user', id: user.id, label: user.username });
      return this.users.get(user.id, tx);
    });
  }

  private async find(token: string) {
    if (!token || typeof token !== 'string' || token.length > 200) throw INVALID();
    const row = await this.models.PasswordReset.findByPk(hashToken(token));
    if (!row) throw INVALID();
    return row;
  }

  private assertUsable(row: { usedAt: Date | null; createdAt: Date; expiresAt: Date }): void {
    if (row.usedAt) throw USED();
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) throw EXPIRED(row);
  }
}
