// Webhooks registered on an application (clients.manage): the URL and the events it
// receives, its signing secret (shown once; rotated with an overlap during which both the
// new and the old secret sign), enabling it again after it was disabled, and the record of
// deliveries and attempts with "send again".
import { Op } from 'sequelize';
import type { AuditService } from '../audit/audit-service.js';
import { addMs, type Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { NotFound, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { authorize } from '../roles/authorize.js';
import { checkWebhookUrl, type AddressPolicy } from './address-guard.js';
import { isWebhookEvent, type WebhookEventType } from './webhook-events.js';
import type { WebhookAttemptAttributes, WebhookAttributes, WebhookDeliveryAttributes } from './webhook-model.js';
import { newWebhookSecret } from './webhook-signature.js';
import type { WebhookEmitter } from './webhook-emitter.js';

/** How long the old secret keeps signing after a rotation: a day to deploy the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface WebhookView {
  id: string;
  clientId: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  failingSince: Date | null;
  /** Until when the previous secret still signs (after a rotation). */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

export interface DeliveryView {
  id: number;
  messageId: string;
  eventType: string;
  status: WebhookDeliveryAttributes['status'];
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: Array<Pick<WebhookAttemptAttributes, 'attemptedAt' | 'outcome' | 'statusCode' | 'error' | 'durationMs'>>;
}

export interface WebhookInput {
  url: string;
  events: readonly string[];
}

function present(row: WebhookAttributes): WebhookView {
  return {
    id: row.id,
    clientId: row.clientId,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    enabled: !!row.enabled,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
  };
}

export class WebhookService {
  constructor(
    private readonly models: Models,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly policy: AddressPolicy,
    private readonly emitter: WebhookEmitter,
  ) {}

  async listFor(clientId: string): Promise<WebhookView[]> {
    const rows = await this.models.Webhook.findAll({ where: { clientId }, order: [['createdAt', 'ASC'], ['id', 'ASC']] });
    return rows.map((r) => present(r.get({ plain: true })));
  }

  async get(id: string): Promise<WebhookView> {
    const row = await this.models.Webhook.findByPk(id);
    if (!row) throw new NotFound('No such webhook.');
    return present(row.get({ plain: true }));
  }

  /** The webhook, only as one of this application's: another's answers as unknown. */
  async getOf(clientId: string, id: string): Promise<WebhookView> {
    const webhook = await this.get(id);
    if (webhook.clientId !== clientId) throw new NotFound('No such webhook.');
    return webhook;
  }

  /** Registers a webhook; the secret is returned this once. */
  async add(ctx: Context, clientId: string, input: WebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
    authorize(ctx.actor, 'clients.manage');
    const { url, events } = this.checked(input);
    const client = await this.models.Client.findByPk(clientId, { attributes: ['clientId', 'name'] });
    if (!client) throw new NotFound('No such application.');
    const secret = newWebhookSecret();
    const sealed = (await this.secrets()).seal(secret);
    const now = this.clock.now();
    const id = newId();
    await this.transactions.run(ctx, async (tx) => {
      await this.models.Webhook.create({ id, clientId, url, events: JSON.stringify(events), secret: sealed, enabled: true, createdAt: now, updatedAt: now }, { transaction: tx.transaction });
      await this.audit.record(tx, 'webhook.created', { url, events }, { type: 'webhook', id, label: `${client.name}: ${url}` });
    });
    this.emitter.subscriptionsChanged();
    return { webhook: await this.get(id), secret };
  }

  /** Changes the URL, the events, or enables a disabled webhook again. */
  async update(ctx: Context, id: string, input: WebhookInput & { enabled?: boolean }): Promise<WebhookView> {
    authorize(ctx.actor, 'clients.manage');
    const { url, events } = this.checked(input);
    const current = await this.get(id);
    const enable = input.enabled ?? current.enabled;
    await this.transactions.run(ctx, async (tx) => {
      await this.models.Webhook.update(
        {
          url,
          events: JSON.stringify(events),
          enabled: enable,
          ...(enable && !current.enabled ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
          ...(!enable && current.enabled ? { disabledAt: this.clock.now(), disabledReason: 'disabled by an admin' } : {}),
          updatedAt: this.clock.now(),
        },
        { where: { id }, transaction: tx.transaction },
      );
      await this.audit.record(tx, 'webhook.updated', { url, events, enabled: enable }, { type: 'webhook', id, label: url });
    });
    this.emitter.subscriptionsChanged();
    // Deliveries that waited while it was disabled go out now.
    if (enable && !current.enabled) this.emitter.wakeWorkers();
    return this.get(id);
  }

  /** A new secret, returned this once; the old one keeps signing for ROTATION_OVERLAP_MS. */
  async rotateSecret(ctx: Context, id: string): Promise<{ webhook: WebhookView; secret: string }> {
    authorize(ctx.actor, 'clients.manage');
    const box = await this.secrets();
    const secret = newWebhookSecret();
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.Webhook.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!row) throw new NotFound('No such webhook.');
      const now = this.clock.now();
      const overlapUntil = addMs(now, ROTATION_OVERLAP_MS);
      await this.models.Webhook.update(
        { secret: box.seal(secret), previousSecret: row.secret, previousSecretExpiresAt: overlapUntil, updatedAt: now },
        { where: { id }, transaction: tx.transaction },
      );
      await this.audit.record(tx, 'webhook.secret_rotated', { previousSignsUntil: overlapUntil.toISOString() }, { type: 'webhook', id, label: row.url });
    });
    return { webhook: await this.get(id), secret };
  }

  async remove(ctx: Context, id: string): Promise<void> {
    authorize(ctx.actor, 'clients.manage');
    const current = await this.get(id);
    await this.transactions.run(ctx, async (tx) => {
      await this.removeRows(tx, [id]);
      await this.audit.record(tx, 'webhook.removed', { url: current.url }, { type: 'webhook', id, label: current.url });
    });
    this.emitter.subscriptionsChanged();
  }

  /** The webhooks of a removed application go with it (SQLite does not cascade). */
  async removeForClient(ctx: Context & { transaction: NonNullable<Context['transaction']> }, clientId: string): Promise<void> {
    const rows = await this.models.Webhook.findAll({ attributes: ['id'], where: { clientId }, transaction: ctx.transaction });
    if (rows.length === 0) return;
    await this.removeRows(ctx, rows.map((r) => r.id));
    this.emitter.subscriptionsChanged();
  }

  private async removeRows(ctx: Context & { transaction: NonNullable<Context['transaction']> }, ids: string[]): Promise<void> {
    const deliveries = await this.models.WebhookDelivery.findAll({ attributes: ['id'], where: { webhookId: { [Op.in]: ids } }, transaction: ctx.transaction });
    const deliveryIds = deliveries.map((d) => d.id);
    for (let i = 0; i < deliveryIds.length; i += 500) {
      await this.models.WebhookAttempt.destroy({ where: { deliveryId: { [Op.in]: deliveryIds.slice(i, i + 500) } }, transaction: ctx.transaction });
    }
    await this.models.WebhookDelivery.destroy({ where: { webhookId: { [Op.in]: ids } }, transaction: ctx.transaction });
    await this.models.Webhook.destroy({ where: { id: { [Op.in]: ids } }, transaction: ctx.transaction });
  }

  /** The latest deliveries, newest first, each with its attempts. */
  async deliveries(webhookId: string, limit = 25): Promise<DeliveryView[]> {
    const rows = await this.models.WebhookDelivery.findAll({ where: { webhookId }, order: [['id', 'DESC']], limit });
    const attempts = rows.length
      ? await this.models.WebhookAttempt.findAll({ where: { deliveryId: { [Op.in]: rows.map((r) => r.id) } }, order: [['id', 'ASC']] })
      : [];
    return rows.map((r) => ({
      id: r.id,
      messageId: r.messageId,
      eventType: r.eventType,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt,
      lastStatusCode: r.lastStatusCode,
      lastError: r.lastError,
      createdAt: r.createdAt,
      deliveredAt: r.deliveredAt,
      attemptLog: attempts
        .filter((a) => a.deliveryId === r.id)
        .map((a) => ({ attemptedAt: a.attemptedAt, outcome: a.outcome, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
    }));
  }

  /** "Send again": the delivery is due at once, with the same webhook-id (receivers drop duplicates). */
  async resend(ctx: Context, webhookId: string, deliveryId: number): Promise<void> {
    authorize(ctx.actor, 'clients.manage');
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.WebhookDelivery.findOne({ where: { id: deliveryId, webhookId }, transaction: tx.transaction });
      if (!row) throw new NotFound('No such delivery.');
      await this.models.WebhookDelivery.update({ status: 'pending', nextAttemptAt: this.clock.now() }, { where: { id: deliveryId }, transaction: tx.transaction });
      await this.audit.record(tx, 'webhook.resent', { deliveryId, messageId: row.messageId, event: row.eventType }, { type: 'webhook', id: webhookId });
      tx.transaction.afterCommit(() => this.emitter.wakeWorkers());
    });
  }

  private checked(input: WebhookInput): { url: string; events: WebhookEventType[] } {
    const url = checkWebhookUrl(input.url, this.policy).toString();
    const unknown = input.events.filter((e) => !isWebhookEvent(e));
    if (unknown.length) throw new ValidationError({ events: `Unknown events: ${unknown.join(', ')}.` });
    const events = [...new Set(input.events)] as WebhookEventType[];
    if (events.length === 0) throw new ValidationError({ events: 'Choose at least one event.' });
    return { url, events };
  }
}
