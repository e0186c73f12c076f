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
import { newId } from '../ids.js';
import { webhookEventOf, type WebhookEventType } from './webhook-events.js';
import { actorOf, webhookBody } from './webhook-payload.js';
import { isUserViewOf, readAccountSnapshot, webhookAccountOf } from './account-snapshot.js';

/** How long this process trusts its reading of which events anyone subscribes to. */
const SUBSCRIPTIONS_TTL_MS = 1_000;

/** What the audit trail told of one change. */
interface AuditedEvent {
  type: WebhookEventType;
  target: AuditTarget | undefined;
  details: Record<string, unknown>;
  /** The changed account as the users service presented it, when it handed it over. */
  subject: object | undefined;
}

interface Emitted {
  messageId: string;
  createdAt: Date;
}

export class WebhookEmitter {
  private readonly emitted = new WeakMap<object, Map<string, Emitted>>();
  private readonly listeners = new Set<() => void>();
  private subscribed: { types: Set<string>; readAt: number } | null = null;

  constructor(
    private readonly models: Models,
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

  readonly observe = async (ctx: Context, action: AuditAction, target: AuditTarget | undefined, details: Record<string, unknown>, subject?: object): Promise<void> => {
    const type = webhookEventOf(action);
    if (!type) return;
    const event: AuditedEvent = { type, target, details, subject };
    // Refusals are audited after their work rolled back, outside any transaction.
    if (ctx.transaction) await this.emit(ctx as TxContext, event);
    else await this.transactions.run(ctx, (tx) => this.emit(tx, event));
  };

  private async emit(tx: TxContext, event: AuditedEvent): Promise<void> {
    const { type, target, details } = event;
    const subjectKey = subjectOf(type, target, details);
    if (!subjectKey) return;
    if (!(await this.maySubscribe(tx, type))) return;
    const data = await this.dataOf(tx, event);
    if (!data) return;
    const seen = this.emitted.get(tx.transaction) ?? new Map<string, Emitted>();
    this.emitted.set(tx.transaction, seen);
    const key = `${type} ${subjectKey}`;
    const earlier = seen.get(key);
    if (earlier) {
      const body = webhookBody(type, earlier.createdAt, data);
      await this.models.sql.write('UPDATE webhook_deliveries SET payload = ? WHERE message_id = ?', [body, earlier.messageId], tx);
      return;
    }
    const now = this.clock.now();
    const messageId = 'msg_' + newId().replace(/-/g, '');
    const body = webhookBody(type, now, data);
    // One row per subscribed webhook, chosen by the statement itself, so a webhook added or
    // removed by another process a moment ago is seen as the database has it. Event names
    // are stored quoted in a JSON array (LIKE's '_' wildcard cannot make one catalogue name match another).
    const { affectedRows } = await this.models.sql.write(
      `INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, subject_key, payload, status, attempts, next_attempt_at, created_at)
       SELECT id, ?, ?, ?, ?, 'pending', 0, ?, ? FROM webhooks WHERE events LIKE ?`,
      [messageId, type, subjectKey, body, now, now, `%"${type}"%`],
      tx,
    );
    if (affectedRows === 0) return;
    seen.set(key, { messageId, createdAt: now });
    tx.transaction.afterCommit(() => this.wakeWorkers());
  }

  /** Tells this process's worker that deliveries are due. */
  wakeWorkers(): void {
    this.listeners.forEach((l) => l());
  }

  /**
   * Whether any webhook subscribes to `type`, as this process read it within the last
   * second (every account change asks; the webhooks table changes rarely). This process's
   * own changes to webhooks clear it at once; another process's new subscription is seen
   * within a second.
   */
  private async maySubscribe(tx: TxContext, type: WebhookEventType): Promise<boolean> {
    if (!this.subscribed || performance.now() - this.subscribed.readAt > SUBSCRIPTIONS_TTL_MS) {
      const rows = await this.models.sql.select<{ events: string }>('SELECT events FROM webhooks', [], tx);
      this.subscribed = { types: new Set(rows.flatMap((r) => JSON.parse(r.events) as string[])), readAt: performance.now() };
    }
    return this.subscribed.types.has(type);
  }

  /** Webhooks changed in this process: read the subscriptions again at the next event. */
  subscriptionsChanged(): void {
    this.subscribed = null;
  }

  private async dataOf(tx: TxContext, { type, target, details, subject }: AuditedEvent): Promise<Record<string, unknown> | null> {
    const actor = actorOf(tx);
    if (type === 'seats.limit_reached') return { actor, pool: details.pool, used: details.used, limit: details.limit };
    if (type === 'user.deleted') {
      // The row is gone: what the audit event kept of it.
      return { actor, account: { id: target!.id, username: details.username ?? target!.label ?? null, email: details.email ?? null, status: 'deleted' } };
    }
    const userId = type === 'invitation.accepted' ? String(details.userId) : target!.id;
    // The account as the change presented it when the users service handed it over; else read.
    const account = isUserViewOf(subject, userId) ? webhookAccountOf(subject) : await readAccountSnapshot(this.models, tx, userId);
    if (!account) return null;
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

