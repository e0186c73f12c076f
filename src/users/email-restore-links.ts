// "It wasn't me" (an email changed by someone else is announced to the old address,
// docs/permissions.md): the link in that notice, and in every reset notice of the following
// week, puts the old address back and signs everyone out (UserService.restoreEmail). The
// link is the authority — only the old mailbox received it — so no permission is asked.
// Valid 7 days, single use; a restore ends every link mailed before it.
import type { Context, TxContext } from '../context.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, DomainError } from '../errors.js';
import { EMAIL_CHANGE_WATCH_DAYS, type EmailChanges, type RestoreLinkState } from './email-changes.js';
import type { UserService } from './user-service.js';

export class RestoreLinkError extends DomainError {
  constructor(
    readonly problem: Exclude<RestoreLinkState, 'usable'> | 'taken',
    readonly title: string,
    message: string,
    status: number,
  ) {
    super(`email_restore_${problem}`, message, status);
  }
}

const ASK = 'If someone else changed your email address, tell your administrator.';
const PROBLEMS: Record<Exclude<RestoreLinkState, 'usable'>, () => RestoreLinkError> = {
  invalid: () => new RestoreLinkError('invalid', 'This link is not valid', `Open the link from the email, with nothing cut off. ${ASK}`, 404),
  used: () => new RestoreLinkError('used', 'This link has been used', 'Your address was restored with it and everyone was signed out. Reset your password from the sign-in page if you need to.', 410),
  expired: () => new RestoreLinkError('expired', 'This link has expired', `Links work for ${EMAIL_CHANGE_WATCH_DAYS} days. ${ASK}`, 410),
  superseded: () => new RestoreLinkError('superseded', 'This link no longer works', `The address was restored since this link was sent. ${ASK}`, 410),
};

export interface RestorePreview {
  username: string;
  oldEmail: string;
  /** Null: the change removed the address. */
  newEmail: string | null;
  changedBy: string;
}

export class EmailRestoreLinks {
  constructor(
    private readonly changes: EmailChanges,
    private readonly users: UserService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** What a usable link would restore; throws the link's problem otherwise. */
  async check(token: string): Promise<RestorePreview> {
    const { row, state } = await this.changes.find(token);
    if (state !== 'usable') throw PROBLEMS[state]();
    const user = await this.users.get(row!.userId);
    return { username: user.username, oldEmail: row!.oldEmail, newEmail: row!.newEmail, changedBy: row!.changedByLabel };
  }

  /** Spends the link and restores the address in one transaction. */
  async follow(ctx: Context, token: string): Promise<RestorePreview> {
    const system: Context = { ...ctx, actor: { userId: null, label: "it wasn't me link", permissions: new Set() } };
    return this.transactions.run(system, async (tx: TxContext) => {
      const { row, state } = await this.changes.find(token, tx);
      if (state !== 'usable') throw PROBLEMS[state]();
      if (!(await this.changes.claim(tx, row!.id))) throw PROBLEMS.used();
      try {
        const user = await this.users.restoreEmail(tx, row!.userId, row!.oldEmail);
        return { username: user.username, oldEmail: row!.oldEmail, newEmail: row!.newEmail, changedBy: row!.changedByLabel };
      } catch (err) {
        if (err instanceof Conflict) throw new RestoreLinkError('taken', 'The address is in use', `Another account now has ${row!.oldEmail}, so it cannot be put back. ${ASK}`, 409);
        throw err;
      }
    });
  }
}
