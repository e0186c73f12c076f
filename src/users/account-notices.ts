// Mail that keeps changes to an account from happening silently: the owner hears when an
// account holding more than its actor is deactivated. Enqueued in the change's transaction,
// so a notice exists exactly when the change committed.
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail } from '../mail/templates/security-notice.js';
import type { SettingsService } from '../settings/settings-service.js';

export class AccountNotices {
  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
  ) {}

  /** Offboarding never fails for lack of power, but the owner is told of it. */
  async deactivatedByWeakerActor(tx: TxContext, ownerId: string, target: { username: string; email: string | null }, missing: readonly string[]): Promise<void> {
    const owner = await this.models.User.findByPk(ownerId, { attributes: ['email', 'username'], transaction: tx.transaction });
    if (!owner?.email) return;
    const organizationName = await this.settings.get('organizationName', tx);
    await this.outbox.enqueue(
      tx,
      owner.email,
      securityNoticeMail(organizationName, {
        template: 'deactivated-by-weaker-actor',
        subject: `${target.username} was deactivated by ${tx.actor.label}`,
        greeting: `Hello ${owner.username},`,
        paragraphs: [
          `${tx.actor.label} deactivated the account ${target.username}${target.email ? ` (${target.email})` : ''} at ${organizationName}.`,
          `The account holds permissions ${tx.actor.label} does not (${missing.join(', ')}). Deactivation needs only "users.manage", so offboarding always works; you are told so you can check it was intended.`,
          'If it was not, reactivate the account from its page in the admin console.',
        ],
      }),
    );
  }
}
