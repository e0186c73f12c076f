// Mail to the holders of scim.manage when a SCIM token's creator no longer covers its set:
// the directory behind it is provisioning with less than before, or not at all, and
// someone who can adopt or revoke the token should know. Enqueued in the transaction that
// found the token orphaned, so a notice exists exactly when that finding committed.
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail } from '../mail/templates/security-notice.js';
import { activeHoldersOf } from '../roles/permission-holders.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { TokenStanding } from './token-permissions.js';

export class ScimTokenNotices {
  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly publicUrl: string,
  ) {}

  async orphaned(tx: TxContext, token: { name: string; permissions: readonly string[] }, standing: TokenStanding): Promise<void> {
    const recipients = await activeHoldersOf(this.models, 'scim.manage', tx);
    if (recipients.length === 0) return;
    const organizationName = await this.settings.get('organizationName', tx);
    const stopped = standing.state === 'stopped';
    const effect = stopped
      ? 'It is stopped: every request the directory makes with it is refused until someone adopts the token.'
      : `It now acts only with ${standing.effective.length ? standing.effective.join(', ') : 'no permissions at all'}, so the directory may fail to provision.`;
    const url = `${this.publicUrl.replace(/\/+$/, '')}/admin/scim-tokens`;
    await this.outbox.enqueueMany(
      tx,
      recipients.map((r) => ({
        to: r.email,
        message: securityNoticeMail(organizationName, {
          template: 'scim-token-orphaned',
          subject: `SCIM token "${token.name}" is ${stopped ? 'stopped' : 'orphaned'}`,
          greeting: `Hello ${r.username},`,
          paragraphs: [
            `The SCIM token "${token.name}" at ${organizationName} is ${stopped ? 'stopped' : 'orphaned'}: ${standing.reason}.`,
            effect,
            `An administrator holding its permissions (${token.permissions.join(', ')}) can adopt it on the SCIM tokens page without changing its secret, or revoke it.`,
          ],
          action: { label: 'Open the SCIM tokens page', url },
        }),
      })),
    );
  }
}
