// Turns audited changes into webhook deliveries, written in the change's own transaction:
// a rolled-back change leaves no delivery, a committed one always has its rows, whichever
// process dies afterwards. One event per account, event type and transaction: a directory
// write that changes the profile and then the multi-valued attributes is one
// `user.updated`, whose body is rewritten with the account's state at the last step.
import type { AuditAction } from '../audit/audit-actions.js';
import type { AuditService, AuditTarget } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { insertInto, type Param } from '../db/sql.js';
import { newId } from '../ids.js';
import type { UserService } from '../users/user-service.js';
import { webhookEventOf, type WebhookEventType } from './webhook-events.js';
import { actorOf, webhookAccount, webhookBody } from './webhook-payload.js';

interface Emitted {
  deliveryIds: number[];
  messageId: string;
  createdAt: Date;
}

export class WebhookEmitter {
  private readonly emitted = new WeakMap<object, Map<string, Emitted>>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
  ) {}

  listen(audit: AuditService): void {
    audit.observe('webhooks', this.observe);
  }

  /** The worker hears of new deliveries once they are committed. */
  onEmitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly observe = async (ctx: Context, action: AuditAction, target: AuditTarget | undefined, details: Record<string, unknown>): Promise<void> => {
    const type = webhookEventOf(action);
    if (!type) return;
    // Refusals are audited after their work rolled back, outside any transaction.
    if (ctx.transaction) await this.emit(ctx as TxContext, type, target, details);
    else await this.transactions.run(ctx, (tx) => this.emit(tx, type, target, details));
  };

  private async emit(tx: TxContext, type: WebhookEventType, target: AuditTarget | undefined, details: Record<string, unknown>): Promise<void> {
    const subjectKey = subjectOf(type, target, details);
    if (!subjectKey) return;
    const webhookIds = await this.subscribers(tx, type);
    if (webhookIds.length === 0) return;
    const data = await this.dataOf(tx, type, target, details);
    if (!data) return;
    const seen = this.emitted.get(tx.transaction) ?? new Map<string, Emitted>();
    this.emitted.set(tx.transaction, seen);
    const key = `${type} ${subjectKey}`;
    const earlier = seen.get(key);
    if (earlier) {
      const body = webhookBody(type, earlier.createdAt, data);
      await this.models.sql.write(`UPDATE webhook_deliveries SET payload = ? WHERE id IN (${earlier.deliveryIds.map(() => '?').join(',')})`, [body, ...earlier.deliveryIds], tx);
      return;
    }
    const now = this.clock.now();
    const messageId = 'msg_' + newId().replace(/-/g, '');
    const body = webhookBody(type, now, data);
    const rows: Array<Record<string, Param>> = webhookIds.map((webhookId) => ({
      webhookId, messageId, eventType: type, subjectKey, payload: body, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now,
    }));
    const insert = insertInto(this.models.WebhookDelivery, rows);
    await this.models.sql.write(insert.statement, insert.params, tx);
    const ids = await this.models.sql.select<{ id: number }>('SELECT id FROM webhook_deliveries WHERE message_id = ?', [messageId], tx);
    const deliveryIds = ids.map((r) => Number(r.id));
    seen.set(key, { deliveryIds, messageId, createdAt: now });
    tx.transaction.afterCommit(() => this.wakeWorkers());
  }

  /** Tells this process's worker that deliveries are due. */
  wakeWorkers(): void {
    this.listeners.forEach((l) => l());
  }

  /**
   * Webhooks of this event type (a few rows: read each time, so every process agrees at
   * once). A disabled one keeps receiving rows: they go out in order once it is enabled again.
   */
  private async subscribers(tx: TxContext, type: WebhookEventType): Promise<string[]> {
    const rows = await this.models.sql.select<{ id: string; events: string }>('SELECT id, events FROM webhooks', [], tx);
    return rows.filter((r) => (JSON.parse(r.events) as string[]).includes(type)).map((r) => r.id);
  }

  private async dataOf(tx: TxContext, type: WebhookEventType, target: AuditTarget | undefined, details: Record<string, unknown>): Promise<Record<string, unknown> | null> {
    const actor = actorOf(tx);
    if (type === 'seats.limit_reached') return { actor, pool: details.pool, used: details.used, limit: details.limit };
    if (type === 'user.deleted') {
      // The row is gone: what the audit event kept of it.
      return { actor, account: { id: target!.id, username: details.username ?? target!.label ?? null, email: details.email ?? null, status: 'deleted' } };
    }
    const userId = type === 'invitation.accepted' ? String(details.userId) : target!.id;
    const account = webhookAccount(await this.users.get(userId, tx));
    if (type === 'invitation.accepted') return { actor, invitation: { id: target!.id, method: details.method ?? null }, account };
    return { actor, account };
  }
}

/** What deliveries are ordered by: the account, or the seat pool. */
function subjectOf(type: WebhookEventType, target: AuditTarget | undefined, details: Record<string, unknown>): string | null {
  if (type === 'seats.limit_reached') return typeof details.pool === 'string' ? `pool:${details.pool}` : null;
  if (type === 'invitation.accepted') return typeof details.userId === 'string' ? `user:${details.userId}` : null;
  return target?.type === 'user' ? `user:${target.id}` : null;
}

