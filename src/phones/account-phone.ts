// A signed-in person proving (or changing) their own phone: a code goes to the new number,
// and only the right code stores it as the account's phone, verified. Until then the
// account keeps the phone it had.
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import type { UserService } from '../users/user-service.js';
import type { UserView } from '../users/user-presenter.js';
import type { PhoneCodes } from './phone-codes.js';
import type { ParsedPhone } from './phone-number.js';

export class AccountPhone {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly phoneCodes: PhoneCodes,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async sendCode(ctx: Context, userId: string, phone: ParsedPhone): Promise<void> {
    await this.transactions.run(ctx, async (tx) => {
      // The account's row lock makes the per-account send limit hold against parallel requests.
      const user = await this.users.getForUpdate(tx, userId);
      await this.phoneCodes.send(tx, { purpose: 'account', id: user.id, label: user.username }, phone);
    });
  }

  /** Checks the code (a wrong try stays counted), then stores the number as the account's verified phone. */
  async verify(ctx: Context, userId: string, phone: ParsedPhone, code: string): Promise<UserView> {
    const codeId = await this.phoneCodes.check('account', userId, phone.e164, code);
    return this.transactions.run(ctx, async (tx) => {
      await this.phoneCodes.consume(tx, codeId);
      const user = await this.users.getForUpdate(tx, userId);
      if (user.phone !== phone.e164) await this.users.update(tx, userId, { phone: phone.e164 }, { origin: 'page' });
      await this.models.User.update({ verifiedPhone: phone.e164 }, { where: { id: userId }, transaction: tx.transaction });
      await this.audit.record(tx, 'phone.verified', { region: phone.region }, { type: 'user', id: userId, label: user.username });
      return this.users.get(userId, tx);
    });
  }
}
