// The record of email changes made by someone else, and of the "it wasn't me" links mailed
// to the old address (such a change is announced to the old address, and the new one is
// unverified until confirmed; docs/permissions.md). Each mailed link is its own row: the
// notice of the change, and one for every password reset asked in the week after it.
// Following any link restores the old address; a restore ends every link mailed before it,
// so a link sent to a later, unwanted address cannot undo the restore.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { hashToken, newToken } from '../ids.js';
import type { EmailChangeAttributes, EmailChangeMail } from './email-change-model.js';
import { normalize } from './user-validation.js';

/** For 7 days the old address hears of every reset; each link works 7 days. */
export const EMAIL_CHANGE_WATCH_DAYS = 7;
const WATCH_MS = EMAIL_CHANGE_WATCH_DAYS * 24 * HOUR_MS;
/** The public page an "it wasn't me" link opens (joined to PUBLIC_URL). */
export const EMAIL_RESTORE_PATH = '/email/restore';

export interface EmailChange {
  userId: string;
  oldEmail: string;
  /** Null: the address was removed. */
  newEmail: string | null;
  changedByLabel: string;
  changedAt: Date;
}

export type RestoreLinkState = 'usable' | 'invalid' | 'used' | 'expired' | 'superseded';

export class EmailChanges {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  linkFor(token: string): string {
    return `${this.publicUrl}${EMAIL_RESTORE_PATH}?token=${encodeURIComponent(token)}`;
  }

  /** Stores a new link for the change; returns the link (its token exists only in the mail). */
  async issue(tx: TxContext, change: EmailChange, mailedFor: EmailChangeMail): Promise<string> {
    const token = newToken();
    await this.models.EmailChange.create(
      { ...change, changedByLabel: change.changedByLabel.slice(0, 255), mailedFor, restoreTokenHash: hashToken(token), createdAt: this.clock.now() },
      { transaction: tx.transaction },
    );
    return this.linkFor(token);
  }

  /**
   * Changes of this account by someone else in the last week that no restore has undone:
   * the old addresses that hear of every password reset.
   */
  async watched(tx: TxContext, userId: string): Promise<EmailChange[]> {
    const since = addMs(this.clock.now(), -WATCH_MS);
    const lastRestore = await this.lastRestoreOf(tx, userId);
    const rows = await this.models.EmailChange.findAll({
      where: { userId, mailedFor: 'change', changedAt: { [Op.gt]: lastRestore && lastRestore > since ? lastRestore : since } },
      order: [['changedAt', 'ASC']],
      transaction: tx.transaction,
    });
    return rows.map((r) => ({ userId: r.userId, oldEmail: r.oldEmail, newEmail: r.newEmail, changedByLabel: r.changedByLabel, changedAt: r.changedAt }));
  }

  /** Whether the account's current address was set by someone else and not restored since. */
  async setBySomeoneElse(tx: TxContext, user: { id: string; email: string }): Promise<boolean> {
    const lastRestore = await this.lastRestoreOf(tx, user.id);
    const rows = await this.models.EmailChange.findAll({
      attributes: ['newEmail'],
      where: { userId: user.id, mailedFor: 'change', ...(lastRestore ? { createdAt: { [Op.gt]: lastRestore } } : {}) },
      transaction: tx.transaction,
    });
    return rows.some((r) => r.newEmail !== null && normalize(r.newEmail) === normalize(user.email));
  }

  /** The row a token names and whether it can restore now. */
  async find(token: string, tx?: TxContext): Promise<{ row: EmailChangeAttributes | null; state: RestoreLinkState }> {
    if (!token || typeof token !== 'string' || token.length > 200) return { row: null, state: 'invalid' };
    const found = await this.models.EmailChange.findOne({ where: { restoreTokenHash: hashToken(token) }, transaction: tx?.transaction });
    if (!found) return { row: null, state: 'invalid' };
    const row = found.get({ plain: true });
    if (row.restoredAt) return { row, state: 'used' };
    if (addMs(row.createdAt, WATCH_MS) <= this.clock.now()) return { row, state: 'expired' };
    const lastRestore = await this.lastRestoreOf(tx, row.userId);
    if (lastRestore && lastRestore >= row.createdAt) return { row, state: 'superseded' };
    return { row, state: 'usable' };
  }

  /** Spends the link: of two parallel uses exactly one claims it. */
  async claim(tx: TxContext, id: number): Promise<boolean> {
    const [claimed] = await this.models.EmailChange.update({ restoredAt: this.clock.now() }, { where: { id, restoredAt: null }, transaction: tx.transaction });
    return claimed === 1;
  }

  private async lastRestoreOf(tx: TxContext | undefined, userId: string): Promise<Date | null> {
    const last = await this.models.EmailChange.findOne({
      attributes: ['restoredAt'],
      where: { userId, restoredAt: { [Op.ne]: null } },
      order: [['restoredAt', 'DESC']],
      transaction: tx?.transaction,
    });
    return last?.restoredAt ?? null;
  }
}
