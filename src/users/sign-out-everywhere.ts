// "Sign out everywhere": every session, grant and token of an account ends at once, while
// the account stays active — after a suspected takeover, or a lost device. Someone else may
// do it only under the dominance rule (it cuts the target off, as a status change does);
// the person may always do it to themselves. Audited.
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { NotFound } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import type { AccessRevoker } from './access-revoker.js';
import type { UserService } from './user-service.js';

export class SignOutEverywhere {
  constructor(
    private readonly models: Models,
    private readonly users: Pick<UserService, 'assertMayChange'>,
    private readonly revoker: AccessRevoker,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async signOut(ctx: Context, userId: string): Promise<void> {
    const self = ctx.actor.userId === userId;
    if (!self) authorize(ctx.actor, 'users.manage');
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.lock(tx, userId);
      if (!self) await this.users.assertMayChange(tx, user, 'sessions');
      await this.revoker.revokeAll(tx, userId, 'signed_out_everywhere');
      await this.audit.record(tx, 'user.signed_out_everywhere', {}, { type: 'user', id: userId, label: user.username });
    });
  }

  private async lock(tx: TxContext, id: string): Promise<{ id: string; username: string }> {
    const row = await this.models.User.findByPk(id, { attributes: ['id', 'username'], transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
    if (!row) throw new NotFound('No such user.');
    return { id: row.id, username: row.username };
  }
}
