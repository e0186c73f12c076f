// Delivers the webhook outbox. Several processes may run it at once: each delivery is
// claimed by a conditional write (only one worker's claim matches), so one attempt goes
// out per due delivery. Per receiver and account, only the oldest unfinished delivery is
// ever due, so an account's events arrive in the order they happened, retries included.
// A failed attempt is retried with exponential back-off for `retryWindowMs` (24 h) after
// the event; a receiver failing without a single success for `disableAfterMs` is disabled
// and the holders of clients.manage are told once.
import os from 'node:os';
import { addMs, type Clock } from '../clock.js';
import { systemContext, type TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { Logger } from '../logger.js';
import { PollingLoop } from '../db/polling-loop.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { WebhookSender } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';
import type { WebhookEmitter } from './webhook-emitter.js';
import type { WebhookDisabledNotice } from './webhook-disabled-notice.js';
import type { WebhookDeliveryAttributes } from './webhook-model.js';

export interface WebhookWorkerOptions {
  pollMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long after the event a failed delivery is still retried. */
  retryWindowMs?: number;
  /** How long a receiver may fail without a success before it is disabled. */
  disableAfterMs?: number;
  /** How long a claim protects a delivery from other workers (longer than one attempt). */
  claimMs?: number;
  /** Deliveries attempted at once (each for a different account or receiver). */
  concurrency?: number;
}

const DAY_MS = 24 * 3_600_000;

export class WebhookWorker {
  readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly loop: PollingLoop;
  private readonly opts: Required<WebhookWorkerOptions>;

  constructor(
    private readonly models: Models,
    private readonly emitter: WebhookEmitter,
    private readonly send: WebhookSender,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly disabledNotice: WebhookDisabledNotice,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: WebhookWorkerOptions = {},
  ) {
    this.opts = { pollMs: 1000, baseBackoffMs: 5_000, maxBackoffMs: 3_600_000, retryWindowMs: DAY_MS, disableAfterMs: DAY_MS, claimMs: 60_000, concurrency: 8, ...options };
    this.loop = new PollingLoop(() => this.runOnce(), this.opts.pollMs, logger, 'webhook worker', (wake) => emitter.onEmitted(wake));
  }

  start(): void {
    this.loop.start();
  }

  /** Stops polling and waits for a pass in progress to finish. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** One pass: attempts every due delivery (and those that become due by it). Returns how many were delivered. */
  async runOnce(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const due = await this.due();
      if (due.length === 0) return delivered;
      const claimed: number[] = [];
      for (const id of due) if (await this.claim(id)) claimed.push(id);
      if (claimed.length === 0) return delivered;
      const results = await Promise.all(claimed.map((id) => this.attempt(id)));
      delivered += results.filter(Boolean).length;
      if (this.loop.stopped) return delivered;
    }
  }

  /** The oldest unfinished delivery of each receiver and account, when it is due. */
  private async due(): Promise<number[]> {
    const now = this.clock.now();
    const rows = await this.models.sql.select<{ id: number }>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND w.enabled = ?
          AND (d.locked_until IS NULL OR d.locked_until < ?)
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                           WHERE e.webhook_id = d.webhook_id AND e.subject_key = d.subject_key AND e.status = 'pending' AND e.id < d.id)
        ORDER BY d.id LIMIT ?`,
      [now, true, now, this.opts.concurrency],
    );
    return rows.map((r) => Number(r.id));
  }

  private async claim(id: number): Promise<boolean> {
    const now = this.clock.now();
    const { affectedRows } = await this.models.sql.write(
      "UPDATE webhook_deliveries SET locked_by = ?, locked_until = ? WHERE id = ? AND status = 'pending' AND (locked_until IS NULL OR locked_until < ?)",
      [this.id, addMs(now, this.opts.claimMs), id, now],
    );
    return affectedRows === 1;
  }

  private async attempt(id: number): Promise<boolean> {
    const delivery = (await this.models.WebhookDelivery.findByPk(id))?.get({ plain: true });
    const webhook = delivery ? (await this.models.Webhook.findByPk(delivery.webhookId))?.get({ plain: true }) : null;
    if (!delivery || !webhook) return false;
    const box = await this.secrets();
    const now = this.clock.now();
    const secrets = [box.open(webhook.secret)];
    if (webhook.previousSecret && webhook.previousSecretExpiresAt && webhook.previousSecretExpiresAt > now) secrets.push(box.open(webhook.previousSecret));
    const timestamp = Math.floor(now.getTime() / 1000);
    const outcome = await this.send({
      url: webhook.url,
      body: delivery.payload,
      headers: { 'webhook-id': delivery.messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader(secrets, delivery.messageId, timestamp, delivery.payload) },
    });
    await this.transactions.run(systemContext('system', 'webhook delivery'), (tx) => this.record(tx, delivery, outcome));
    if (outcome.ok) this.logger.debug({ deliveryId: id, webhookId: webhook.id, type: delivery.eventType }, 'webhook delivered');
    else this.logger.warn({ deliveryId: id, webhookId: webhook.id, type: delivery.eventType, reason: outcome.error }, 'webhook delivery failed');
    return outcome.ok;
  }

  private async record(tx: TxContext, delivery: WebhookDeliveryAttributes, outcome: Awaited<ReturnType<WebhookSender>>): Promise<void> {
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    await this.models.WebhookAttempt.create(
      { deliveryId: delivery.id, attemptedAt: now, outcome: outcome.ok ? 'delivered' : 'failed', statusCode: outcome.statusCode, error: outcome.error?.slice(0, 500) ?? null, durationMs: outcome.durationMs },
      { transaction: tx.transaction },
    );
    if (outcome.ok) {
      await this.models.sql.write(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, last_status_code = ?, last_error = NULL, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?",
        [attempts, now, outcome.statusCode, delivery.id, this.id],
        tx,
      );
      await this.models.sql.write('UPDATE webhooks SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL', [delivery.webhookId], tx);
      return;
    }
    const givenUp = now.getTime() - delivery.createdAt.getTime() >= this.opts.retryWindowMs;
    const backoff = Math.min(this.opts.baseBackoffMs * 2 ** Math.min(attempts - 1, 30), this.opts.maxBackoffMs);
    await this.models.sql.write(
      'UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?',
      [givenUp ? 'failed' : 'pending', attempts, addMs(now, backoff), outcome.statusCode, outcome.error?.slice(0, 500) ?? null, delivery.id, this.id],
      tx,
    );
    await this.models.sql.write('UPDATE webhooks SET failing_since = ? WHERE id = ? AND failing_since IS NULL', [now, delivery.webhookId], tx);
    // The conditional write decides, across processes, which failure disables the receiver: only its transaction mails.
    const { affectedRows } = await this.models.sql.write(
      'UPDATE webhooks SET enabled = ?, disabled_at = ?, disabled_reason = ? WHERE id = ? AND enabled = ? AND failing_since <= ?',
      [false, now, 'failing for too long', delivery.webhookId, true, addMs(now, -this.opts.disableAfterMs)],
      tx,
    );
    if (affectedRows === 1) await this.disabledNotice.disabled(tx, delivery.webhookId);
  }
}
