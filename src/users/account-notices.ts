// Mail that keeps changes to an account from happening silently: the owner hears when an
// account holding more than its actor is deactivated; the old address hears when someone
// else changes the email (with an "it wasn't me" link that restores it) and of every
// password reset in the week after; the verified address hears when someone else sets the
// password or resets the second factor. Enqueued in the change's transaction, so a notice
// exists exactly when the change committed.
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail, type SecurityNotice } from '../mail/templates/security-notice.js';
import type { SettingsService } from '../settings/settings-service.js';
import { EMAIL_CHANGE_WATCH_DAYS, type EmailChanges } from './email-changes.js';
import { normalize } from './user-validation.js';

interface Account {
  id: string;
  username: string;
  /** Null: the account has no address, and hears nothing. */
  email: string | null;
}

/** A change someone else made to an account's credentials, in the notice's words. */
export type CredentialChange = 'password' | 'second_factor' | 'passkey';

const CREDENTIAL_WORDS: Record<CredentialChange, { subject: string; did: string; advice: string }> = {
  password: {
    subject: 'Your password was changed',
    did: 'set a new password for your account',
    advice: 'You were signed out everywhere. Ask them for the new password, or choose your own with "Forgot your password?" on the sign-in page.',
  },
  second_factor: {
    subject: 'Your two-step verification was reset',
    did: 'removed the authenticator app and recovery codes of your account',
    advice: 'You were signed out everywhere. Sign in with your password and set up two-step verification again on your account page.',
  },
  passkey: {
    subject: 'A passkey was removed from your account',
    did: 'removed a passkey of your account',
    advice: 'You were signed out everywhere. That passkey no longer signs you in; add a new one on your account page after signing in.',
  },
};

export class AccountNotices {
  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly emailChanges: EmailChanges,
  ) {}

  /** Enqueues one notice in the change's transaction, worded with the organization's name. */
  private async send(tx: TxContext, to: string, notice: (organizationName: string) => SecurityNotice): Promise<void> {
    const organizationName = await this.settings.get('organizationName', tx);
    await this.outbox.enqueue(tx, to, securityNoticeMail(organizationName, notice(organizationName)));
  }

  /** Offboarding never fails for lack of power, but the owner is told of it. */
  async deactivatedByWeakerActor(tx: TxContext, ownerId: string, target: { username: string; email: string | null }, missing: readonly string[]): Promise<void> {
    const owner = await this.models.User.findByPk(ownerId, { attributes: ['email', 'username'], transaction: tx.transaction });
    if (!owner?.email) return;
    await this.send(tx, owner.email, (organizationName) => ({
      template: 'deactivated-by-weaker-actor',
      subject: `${target.username} was deactivated by ${tx.actor.label}`,
      greeting: `Hello ${owner.username},`,
      paragraphs: [
        `${tx.actor.label} deactivated the account ${target.username}${target.email ? ` (${target.email})` : ''} at ${organizationName}.`,
        `The account holds permissions ${tx.actor.label} does not (${missing.join(', ')}). Deactivation needs only "users.manage", so offboarding always works; you are told so you can check it was intended.`,
        'If it was not, reactivate the account from its page in the admin console.',
      ],
    }));
  }

  /**
   * Someone else changed the account's email: the old address is told, with a link that
   * puts it back and signs everyone out — the takeover path is "change the email, then
   * reset the password", and the old mailbox is the one its real owner still reads. An
   * address removed (a directory may) is told the same way, so removing and then setting
   * an address cannot bypass it. An account that had no address has nobody to tell.
   */
  async emailChanged(tx: TxContext, user: Account, newEmail: string | null, changedAt: Date): Promise<void> {
    if (!user.email) return;
    const oldEmail = user.email;
    const link = await this.emailChanges.issue(tx, { userId: user.id, oldEmail, newEmail, changedByLabel: tx.actor.label, changedAt }, 'change');
    await this.send(tx, oldEmail, (organizationName) => ({
      template: 'email-changed',
      subject: `The email address of your ${organizationName} account was ${newEmail ? 'changed' : 'removed'}`,
      greeting: `Hello ${user.username},`,
      paragraphs: [
        newEmail
          ? `${tx.actor.label} changed the email address of your account ${user.username} from ${oldEmail} to ${newEmail}. Mail about the account, password resets included, now goes there once it is confirmed.`
          : `${tx.actor.label} removed the email address ${oldEmail} from your account ${user.username}. The account receives no mail now, and its password cannot be reset by email.`,
        `For ${EMAIL_CHANGE_WATCH_DAYS} days this address is told of every password reset.`,
        `If you did not expect this, use the link below within ${EMAIL_CHANGE_WATCH_DAYS} days: it puts ${oldEmail} back and signs everyone out of the account.`,
      ],
      action: { label: "It wasn't me: restore my address", url: link },
    }));
  }

  /**
   * A password reset was asked for an account whose email someone else changed in the
   * last week: every old address hears of it, with a fresh "it wasn't me" link.
   */
  async passwordResetAsked(tx: TxContext, user: Account & { email: string }): Promise<void> {
    const changes = await this.emailChanges.watched(tx, user.id);
    const told = new Set<string>([normalize(user.email)]);
    for (const change of changes) {
      if (told.has(normalize(change.oldEmail))) continue;
      told.add(normalize(change.oldEmail));
      const link = await this.emailChanges.issue(tx, change, 'reset');
      await this.send(tx, change.oldEmail, (organizationName) => ({
        template: 'reset-after-email-change',
        subject: `A password reset was asked for your ${organizationName} account`,
        greeting: `Hello ${user.username},`,
        paragraphs: [
          `Someone asked to reset the password of your account ${user.username}. Reset links go to ${user.email} once it is confirmed: the address ${change.changedByLabel} set in place of ${change.oldEmail}.`,
          `If that was not you, use the link below within ${EMAIL_CHANGE_WATCH_DAYS} days: it puts ${change.oldEmail} back and signs everyone out of the account.`,
        ],
        action: { label: "It wasn't me: restore my address", url: link },
      }));
    }
  }

  /** Someone else set the password or reset the second factor: the verified address hears. */
  async credentialChanged(tx: TxContext, user: Account & { emailVerified: boolean }, change: CredentialChange): Promise<void> {
    // Only a proven mailbox: an address someone else just set is not the owner's yet.
    if (!user.email || !user.emailVerified) return;
    const words = CREDENTIAL_WORDS[change];
    await this.send(tx, user.email, (organizationName) => ({
      template: change === 'password' ? 'password-set-by-someone-else' : change === 'passkey' ? 'passkey-removed-by-someone-else' : 'second-factor-reset',
      subject: `${words.subject} (${organizationName})`,
      greeting: `Hello ${user.username},`,
      paragraphs: [`${tx.actor.label} ${words.did} ${user.username} at ${organizationName}.`, words.advice, 'If you did not expect this, tell your administrator.'],
    }));
  }
}
