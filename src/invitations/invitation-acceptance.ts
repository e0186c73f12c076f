// Accepting an invitation: the invitee sets a password, may edit name
// and phone, and becomes an active account created through the one creation path
// (UserService.create), with the invitation's roles and kind. The invitation's reserved
// seat becomes the account's (no new seat). In one transaction: the invitation row is
// locked and claimed by a conditional update (two parallel accepts of one link make one
// account), the account is created, every other pending invitation to the address is
// superseded (the first accepted wins), the inviter is mailed and, for a shareable link,
// the address is sent a confirmation link (a link does not prove the mailbox).
// The phone follows the phoneAtAcceptance setting: not asked, optional, or required and
// proven by a code sent to it first; nothing is created until the right code is given.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, Gone, ValidationError } from '../errors.js';
import { hashToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { passwordProblem } from '../passwords/password-policy.js';
import type { EmailConfirmations } from '../registration/email-confirmations.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserService } from '../users/user-service.js';
import { addressOf, displayNameOf, type UserView } from '../users/user-presenter.js';
import type { InvitationCreator } from './invitation-creator.js';
import type { PhoneCodes } from '../phones/phone-codes.js';
import type { ParsedPhone } from '../phones/phone-number.js';
import {
  InvitationAlreadyUsed, InvitationCancelled, InvitationExpired, InvitationLinkError, InvitationNotFound, InvitationSuperseded,
} from './invitation-errors.js';
import { invitationAcceptedMail } from './invitation-mail.js';
import type { InvitationAttributes } from './invitation-model.js';
import { effectiveStatus, presentInvitation, type InvitationView } from './invitation-presenter.js';

export interface AcceptInput {
  password: string;
  givenName?: string | null;
  familyName?: string | null;
  /** E.164, composed by the page from a country code and a number (composePhone). */
  phone?: string | null;
  /** The code sent to `phone`, when the setting asks for a verified phone. */
  phoneCode?: string | null;
}

/** What the accept page shows before the invitee commits. */
export interface AcceptPreview {
  email: string;
  givenName: string | null;
  familyName: string | null;
  roleNames: string[];
  kind: InvitationAttributes['kind'];
  method: InvitationAttributes['method'];
  organizationName: string;
  inviterName: string | null;
  expiresAt: Date;
  /** Whether the page asks for a phone, and whether it must be proven by a code. */
  phone: 'off' | 'optional' | 'verified';
}

/** An account already holds the address (an admin added it after the invitation went out). */
export class InvitationAccountExists extends InvitationLinkError {
  constructor() {
    super('used', 'You already have an account', 'An account with this email address already exists, so this invitation is not needed. Sign in with your email address and password.', 409);
  }
}

export class InvitationAcceptance {
  constructor(
    private readonly models: Models,
    private readonly creator: InvitationCreator,
    private readonly users: UserService,
    private readonly confirmations: EmailConfirmations,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly phoneCodes: PhoneCodes,
  ) {}

  async check(token: string): Promise<AcceptPreview> {
    const row = await this.find(token);
    this.assertUsable(row);
    const roles = (await this.creator.rolesOfInvitations([row.id])).get(row.id) ?? [];
    return {
      email: row.email,
      givenName: row.givenName,
      familyName: row.familyName,
      roleNames: roles.map((r) => r.name),
      kind: row.kind,
      method: row.method,
      organizationName: await this.settings.get('organizationName'),
      inviterName: row.invitedByLabel,
      expiresAt: row.expiresAt,
      phone: await this.settings.get('phoneAtAcceptance'),
    };
  }

  /** Sends a code to the number the invitee gave, when the setting asks for a verified phone. */
  async sendPhoneCode(ctx: Context, token: string, phone: ParsedPhone): Promise<void> {
    const preview = await this.check(token);
    if (preview.phone !== 'verified') throw new ValidationError({ phone: 'This invitation does not ask for a phone code.' });
    await this.transactions.run(ctx, async (tx) => {
      // The lock makes the per-invitation send limit hold against parallel requests.
      const row = await this.models.Invitation.findOne({ where: { tokenHash: hashToken(token) }, lock: tx.transaction.LOCK.UPDATE, transaction: tx.transaction });
      if (!row) throw new InvitationNotFound();
      this.assertUsable(row.get({ plain: true }));
      await this.phoneCodes.send(tx, { purpose: 'invitation', id: row.id, label: row.email }, phone);
    });
  }

  async accept(ctx: Context, token: string, input: AcceptInput): Promise<{ user: UserView; invitation: InvitationView }> {
    const preview = await this.check(token);
    const problem = passwordProblem(input.password ?? '', { email: preview.email });
    if (problem) throw new ValidationError({ password: problem });
    const phone = preview.phone === 'off' ? null : (input.phone ?? null);
    // Checked before the transaction: a wrong try stays counted though nothing is created.
    let phoneCodeId: number | null = null;
    if (preview.phone === 'verified') {
      if (!phone) throw new ValidationError({ phone: 'Enter your mobile number and ask for a code.' });
      phoneCodeId = await this.phoneCodes.check('invitation', (await this.find(token)).id, phone, input.phoneCode ?? '');
    }
    return this.transactions.run(ctx, async (tx) => {
      const row = await this.models.Invitation.findOne({ where: { tokenHash: hashToken(token) }, lock: tx.transaction.LOCK.UPDATE, transaction: tx.transaction });
      if (!row) throw new InvitationNotFound();
      const invitation = row.get({ plain: true });
      this.assertUsable(invitation);
      const now = this.clock.now();
      if (invitation.accessEndsAt && invitation.accessEndsAt.getTime() <= now.getTime()) throw new Gone('The access this invitation offered has already ended. Ask whoever invited you for a new invitation.');
      // The conditional update is the guarantee: of two accepts racing on one link, one claims it.
      const [claimed] = await this.models.Invitation.update(
        { status: 'accepted', acceptedAt: now, updatedAt: now },
        { where: { id: invitation.id, status: 'pending', expiresAt: { [Op.gt]: now } }, transaction: tx.transaction },
      );
      if (claimed !== 1) throw new InvitationAlreadyUsed();
      if (await this.creator.accountExists(tx, invitation.emailNormalized)) throw new InvitationAccountExists();
      if (phoneCodeId !== null) await this.phoneCodes.consume(tx, phoneCodeId);

      const roles = (await this.creator.rolesOfInvitations([invitation.id], tx)).get(invitation.id) ?? [];
      // Roles were checked against the inviter's permissions when the invitation was made;
      // the account is created by the system on the invitation's behalf.
      const acceptCtx: Context = { ...tx, source: 'invitation', actor: { userId: null, label: invitation.email, permissions: new Set(['*']) } };
      let user: UserView;
      try {
        user = await this.users.create(
          acceptCtx,
          { email: invitation.email, givenName: input.givenName ?? invitation.givenName, familyName: input.familyName ?? invitation.familyName, phone, kind: invitation.kind },
          {
            source: 'invitation',
            origin: 'page',
            status: 'active',
            // An emailed link proves the mailbox; a shareable link does not.
            emailVerified: invitation.method === 'email',
            phoneVerified: phoneCodeId !== null,
            password: input.password,
            roleIds: roles.map((r) => r.id),
            seatReserved: true,
            // The date the inviter chose; its reminders go to the inviter.
            accessEndsAt: invitation.accessEndsAt,
            accessEndSetBy: invitation.invitedBy,
          },
        );
      } catch (err) {
        if (err instanceof Conflict && err.field === 'email') throw new InvitationAccountExists();
        throw err;
      }
      await this.models.Invitation.update({ acceptedUserId: user.id }, { where: { id: invitation.id }, transaction: tx.transaction });

      const others = await this.models.Invitation.findAll({
        attributes: ['id', 'email'],
        where: { emailNormalized: invitation.emailNormalized, status: 'pending', id: { [Op.ne]: invitation.id } },
        transaction: tx.transaction,
      });
      if (others.length) {
        await this.models.Invitation.update({ status: 'superseded', updatedAt: now }, { where: { id: { [Op.in]: others.map((o) => o.id) } }, transaction: tx.transaction });
        for (const other of others) await this.audit.record(acceptCtx, 'invitation.superseded', { by: invitation.id }, { type: 'invitation', id: other.id, label: other.email });
      }
      await this.audit.record(acceptCtx, 'invitation.accepted', { userId: user.id, method: invitation.method, roles: roles.map((r) => r.name), superseded: others.length, phoneVerified: phoneCodeId !== null }, { type: 'invitation', id: invitation.id, label: invitation.email });

      if (invitation.method === 'link') await this.confirmations.issue(acceptCtx, user, 'invitation');
      await this.notifyInviter(acceptCtx, invitation, user, roles.map((r) => r.name));
      const accepted = (await this.models.Invitation.findByPk(invitation.id, { transaction: tx.transaction }))!.get({ plain: true });
      return { user, invitation: presentInvitation(accepted, roles, now) };
    });
  }

  private async notifyInviter(ctx: Context, invitation: InvitationAttributes, user: UserView, roleNames: string[]): Promise<void> {
    if (!invitation.invitedBy) return;
    const inviter = await this.models.User.findByPk(invitation.invitedBy, { transaction: ctx.transaction });
    // An inviter a directory made without an address hears nothing.
    if (!inviter || inviter.status !== 'active' || !inviter.email) return;
    const organizationName = await this.settings.get('organizationName', ctx);
    await this.outbox.enqueue(
      ctx,
      inviter.email,
      invitationAcceptedMail({ organizationName, inviterName: displayNameOf(inviter), inviteeName: user.name, inviteeEmail: addressOf(user), roleNames }),
    );
  }

  private async find(token: string): Promise<InvitationAttributes> {
    if (!token || token.length > 200) throw new InvitationNotFound();
    const row = await this.models.Invitation.findOne({ where: { tokenHash: hashToken(token) } });
    if (!row) throw new InvitationNotFound();
    return row.get({ plain: true });
  }

  /** Each unusable state throws its own error saying what to do next. */
  private assertUsable(row: InvitationAttributes): void {
    switch (effectiveStatus(row, this.clock.now())) {
      case 'pending':
        return;
      case 'accepted':
        throw new InvitationAlreadyUsed();
      case 'expired':
        throw new InvitationExpired(row.expiresAt, row.invitedByLabel);
      case 'cancelled':
        throw new InvitationCancelled(row.invitedByLabel);
      case 'superseded':
        throw new InvitationSuperseded();
    }
  }
}
