// TOTP second factor (RFC 6238): enrolment from the account page or a
// forced enrolment at sign-in, confirmation with a code, ten single-use recovery codes
// shown once and stored hashed, and the setting that requires it for everyone or roles.
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { hashToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { RoleService } from '../roles/role-service.js';
import { authorize } from '../roles/authorize.js';
import type { UserService } from '../users/user-service.js';

const RECOVERY_CODES = 10;

export interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

export class TotpService {
  constructor(
    private readonly models: Models,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly settings: SettingsService,
    private readonly roles: RoleService,
    private readonly users: UserService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly issuer: string,
  ) {}

  /** Whether the organization requires TOTP for this user (setting: off / all / roles). */
  async requiredFor(userId: string): Promise<boolean> {
    const mode = await this.settings.get('totpRequired');
    if (mode === 'all') return true;
    if (mode !== 'roles') return false;
    const wanted = new Set(await this.settings.get('totpRequiredRoleIds'));
    return (await this.roles.roleRefsOf(userId)).some((r) => wanted.has(r.id));
  }

  async isEnrolled(userId: string): Promise<boolean> {
    const user = await this.models.User.findByPk(userId, { attributes: ['totpEnabledAt'] });
    return !!user?.totpEnabledAt;
  }

  /** A fresh pending secret (not active until confirmed with a code). */
  async startEnrolment(userId: string): Promise<Enrolment> {
    const user = await this.models.User.findByPk(userId);
    if (!user) throw new NotFound('No such user.');
    if (user.totpEnabledAt) throw new InvalidTransition('Two-step verification is already on. Turn it off first to set up a new app.');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.models.User.update({ totpSecret: (await this.secrets()).seal(secret) }, { where: { id: userId } });
    return this.describe(user.email ?? user.username, secret);
  }

  /** The pending enrolment again (re-rendering the page after a wrong code). */
  async pendingEnrolment(userId: string): Promise<Enrolment | null> {
    const user = await this.models.User.findByPk(userId);
    if (!user?.totpSecret || user.totpEnabledAt) return null;
    return this.describe(user.email ?? user.username, (await this.secrets()).open(user.totpSecret));
  }

  /** Confirms the pending secret with a code; returns the recovery codes (shown once). */
  async confirmEnrolment(ctx: Context, userId: string, code: string): Promise<string[]> {
    const user = await this.models.User.findByPk(userId);
    if (!user?.totpSecret || user.totpEnabledAt) throw new InvalidTransition('Start the set-up again: there is no pending authenticator.');
    if (!this.codeMatches((await this.secrets()).open(user.totpSecret), code)) throw new ValidationError({ code: 'That code is not right. Check the time on your phone and try the current code.' });
    const codes = Array.from({ length: RECOVERY_CODES }, () => formatRecoveryCode(randomBytes(10)));
    await this.transactions.run(ctx, async (tx) => {
      await this.models.User.update({ totpEnabledAt: this.clock.now() }, { where: { id: userId }, transaction: tx.transaction });
      await this.models.RecoveryCode.destroy({ where: { userId }, transaction: tx.transaction });
      await this.models.RecoveryCode.bulkCreate(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })), { transaction: tx.transaction });
      await this.audit.record(tx, 'totp.enrolled', {}, { type: 'user', id: userId, label: user.username });
    });
    return codes;
  }

  async disable(ctx: Context, userId: string): Promise<void> {
    await this.transactions.run(ctx, async (tx) => {
      await this.models.User.update({ totpSecret: null, totpEnabledAt: null }, { where: { id: userId }, transaction: tx.transaction });
      await this.models.RecoveryCode.destroy({ where: { userId }, transaction: tx.transaction });
      await this.audit.record(tx, 'totp.disabled', {}, { type: 'user', id: userId });
    });
  }

  /**
   * An admin removes a lost authenticator (and its recovery codes) so its owner can sign
   * in with the password and enrol again. Second factors are guarded by the dominance rule
   * under the account's row lock; the account is signed out everywhere and its verified
   * address told, since a second factor removed by someone else is how a takeover starts.
   */
  async resetByAdmin(ctx: Context, userId: string): Promise<void> {
    authorize(ctx.actor, 'users.manage');
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, userId);
      await this.users.assertMayChange(tx, user, 'second_factor');
      if (!user.totpEnabled) throw new InvalidTransition('Two-step verification is not on for this account: there is nothing to reset.');
      await this.models.User.update({ totpSecret: null, totpEnabledAt: null }, { where: { id: userId }, transaction: tx.transaction });
      await this.models.RecoveryCode.destroy({ where: { userId }, transaction: tx.transaction });
      await this.audit.record(tx, 'totp.reset', {}, { type: 'user', id: userId, label: user.username });
      if (tx.actor.userId !== userId) await this.users.credentialChangedByOther(tx, user, 'second_factor');
    });
  }

  /** A current TOTP code, or an unused recovery code (then used up). */
  async verify(ctx: Context, userId: string, input: string): Promise<'totp' | 'recovery' | null> {
    const user = await this.models.User.findByPk(userId);
    if (!user?.totpSecret || !user.totpEnabledAt) return null;
    const code = (input ?? '').replace(/\s/g, '');
    if (/^\d{6}$/.test(code)) return this.codeMatches((await this.secrets()).open(user.totpSecret), code) ? 'totp' : null;
    const [used] = await this.models.RecoveryCode.update(
      { usedAt: this.clock.now() },
      { where: { userId, codeHash: hashRecoveryCode(code), usedAt: null } },
    );
    if (used !== 1) return null;
    await this.audit.record(ctx, 'totp.recovery_code_used', {}, { type: 'user', id: userId, label: user.username });
    return 'recovery';
  }

  private codeMatches(secret: string, code: string): boolean {
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    return totp.validate({ token: (code ?? '').replace(/\s/g, ''), timestamp: this.clock.now().getTime(), window: 1 }) !== null;
  }

  /** `label` names the account in the authenticator app: its address, else its username. */
  private async describe(label: string, secret: string): Promise<Enrolment> {
    const totp = new OTPAuth.TOTP({ issuer: this.issuer, label, secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const uri = totp.toString();
    return { secret, uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
  }
}

/** For tests and the account page: the code an authenticator would show now. */
export function currentTotpCode(secret: string, at: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at.getTime() });
}

function formatRecoveryCode(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 5)}-${hex.slice(5, 10)}-${hex.slice(10, 15)}-${hex.slice(15, 20)}`;
}

function hashRecoveryCode(code: string): string {
  return hashToken(code.trim().toLowerCase());
}
