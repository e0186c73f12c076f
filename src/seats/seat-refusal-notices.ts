// Tells the people who can act on seats (holders of seats.manage) that a pool refused a
// creation — at most one mail per pool per day, whichever path was refused (admin page,
// invitation, registration, SCIM, LDAP, CSV, upstream sign-in). It listens to the audit
// events that record those refusals, so no path needs to know about it.
//
// "Once per pool per day" holds across processes: the pool row's `refusal_noticed_on` is
// moved to today by a conditional write, and only the transaction whose write changed the
// row enqueues the mail (in that same transaction, so the mark and the mail commit together).
import type { AuditAction } from '../audit/audit-actions.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail } from '../mail/templates/security-notice.js';
import { activeHoldersOf } from '../roles/permission-holders.js';
import type { SettingsService } from '../settings/settings-service.js';
import { KINDS, type Kind } from '../users/user-model.js';

export class SeatRefusalNotices {
  /** Pools already handled in a transaction (a batch audits many refusals in one). */
  private readonly handled = new WeakMap<object, Set<Kind>>();

  constructor(
    private readonly models: Models,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  /** Registers the audit observer. */
  listen(audit: AuditService): void {
    audit.observe('seat refusal notices', this.observe);
  }

  readonly observe = async (ctx: Context, action: AuditAction, _target: unknown, details?: Record<string, unknown>): Promise<void> => {
    const pool = refusedPool(action, details);
    if (!pool) return;
    // Refusals are mostly audited after their work rolled back, outside any transaction.
    if (ctx.transaction) await this.refused(ctx as TxContext, pool);
    else await this.transactions.run(ctx, (tx) => this.refused(tx, pool));
  };

  /** A creation in `pool` was refused: mail the holders of seats.manage, once today. */
  async refused(tx: TxContext, pool: Kind): Promise<void> {
    const seen = this.handled.get(tx.transaction) ?? new Set<Kind>();
    if (seen.has(pool)) return;
    this.handled.set(tx.transaction, seen.add(pool));
    const today = this.clock.now().toISOString().slice(0, 10);
    const { affectedRows } = await this.models.sql.write(
      'UPDATE seat_pools SET refusal_noticed_on = ? WHERE pool = ? AND (refusal_noticed_on IS NULL OR refusal_noticed_on <> ?)',
      [today, pool, today],
      tx,
    );
    if (affectedRows !== 1) return;
    const recipients = await activeHoldersOf(this.models, 'seats.manage', tx);
    if (recipients.length === 0) return;
    const organizationName = await this.settings.get('organizationName', tx);
    const url = `${this.publicUrl.replace(/\/+$/, '')}/admin/seats`;
    await this.outbox.enqueueMany(
      tx,
      recipients.map((r) => ({
        to: r.email,
        message: securityNoticeMail(organizationName, {
          template: 'seat-limit-refusal',
          subject: `No free ${pool} seats at ${organizationName}`,
          greeting: `Hello ${r.username},`,
          paragraphs: [
            `Someone could not be added to ${organizationName} today because all ${pool} seats are in use.`,
            'Until a seat is freed or the limit is raised, every new account or invitation of this kind is refused. This is the only notice about it today; the audit log lists each refusal.',
          ],
          action: { label: 'Open the Seats page', url },
        }),
      })),
    );
  };
}

/** The pool named by an audit event that records a refused creation, or null. */
function refusedPool(action: AuditAction, details: Record<string, unknown> | undefined): Kind | null {
  const refusal = action === 'seats.limit_reached' || (action === 'registration.refused' && details?.reason === 'seat_limit_reached');
  const pool = details?.pool;
  return refusal && typeof pool === 'string' && (KINDS as readonly string[]).includes(pool) ? (pool as Kind) : null;
}
