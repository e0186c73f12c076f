// A receiver disabled for failing too long is announced to the holders of clients.manage
// (who can fix its URL and enable it again), in the transaction whose conditional write
// disabled it — so the mail goes out once, whichever process saw the last failure.
import type { AuditService } from '../audit/audit-service.js';
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail } from '../mail/templates/security-notice.js';
import { activeHoldersOf } from '../roles/permission-holders.js';
import type { SettingsService } from '../settings/settings-service.js';

export class WebhookDisabledNotice {
  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly publicUrl: string,
  ) {}

  async disabled(tx: TxContext, webhookId: string): Promise<void> {
    const webhook = await this.models.Webhook.findByPk(webhookId, { transaction: tx.transaction });
    if (!webhook) return;
    const client = await this.models.Client.findByPk(webhook.clientId, { attributes: ['name'], transaction: tx.transaction });
    const application = client?.name ?? webhook.clientId;
    await this.audit.record(tx, 'webhook.disabled', { url: webhook.url, reason: webhook.disabledReason }, { type: 'webhook', id: webhook.id, label: `${application}: ${webhook.url}` });
    const recipients = await activeHoldersOf(this.models, 'clients.manage', tx);
    if (recipients.length === 0) return;
    const organizationName = await this.settings.get('organizationName', tx);
    const url = `${this.publicUrl.replace(/\/+$/, '')}/admin/clients/${encodeURIComponent(webhook.clientId)}`;
    await this.outbox.enqueueMany(
      tx,
      recipients.map((r) => ({
        to: r.email,
        message: securityNoticeMail(organizationName, {
          template: 'webhook-disabled',
          subject: `A webhook of ${application} was disabled`,
          greeting: `Hello ${r.username},`,
          paragraphs: [
            `The webhook ${webhook.url} of the application ${application} has failed every delivery for a day, so Gatehouse stopped sending to it.`,
            'Events keep being recorded. Once the receiver answers again, enable the webhook on the application’s page: waiting events are sent in order, and any delivery can be sent again.',
          ],
          action: { label: 'Open the application', url },
        }),
      })),
    );
  }
}
