// Reminders before an access end date (Settings: days before, for the first and the last;
// whether the person hears too). They go to whoever set the date — the inviter for a date
// an invitation carried — while that person is active and may still manage users, else to
// everyone who may. Each reminder is sent exactly once, however many processes look: the
// account's `access_end_reminders` moves forward by a conditional UPDATE in the transaction
// that enqueues the mail, so the mark and the mail commit together or not at all. After
// downtime only the latest reminder due goes out (no stale "7 days left" on the last day).
import type { Clock } from '../clock.js';
import { systemContext, type TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { securityNoticeMail } from '../mail/templates/security-notice.js';
import { activeHoldersOf, type Recipient } from '../roles/permission-holders.js';
import type { RoleService } from '../roles/role-service.js';
import type { Settings, SettingsService } from '../settings/settings-service.js';
import type { UserView } from './user-presenter.js';
import type { UserService } from './user-service.js';
import { timeText } from '../zoned-time.js';

const DAY_MS = 86_400_000;

/** The reminder due at `now` for an end date (1: the first, 2: the last), or 0. */
export function reminderDue(endsAt: Date, now: Date, s: Pick<Settings, 'accessEndFirstReminderDays' | 'accessEndLastReminderDays'>): 0 | 1 | 2 {
  const left = endsAt.getTime() - now.getTime();
  if (left <= 0) return 0;
  if (s.accessEndLastReminderDays > 0 && left <= s.accessEndLastReminderDays * DAY_MS) return 2;
  if (s.accessEndFirstReminderDays > 0 && left <= s.accessEndFirstReminderDays * DAY_MS) return 1;
  return 0;
}

export class AccessEndReminders {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly publicUrl: string,
  ) {}

  /** Sends every reminder now due; returns how many accounts were reminded. */
  async sendDue(): Promise<number> {
    const s = await this.settings.all();
    const horizon = Math.max(s.accessEndFirstReminderDays, s.accessEndLastReminderDays);
    if (horizon === 0) return 0;
    const now = this.clock.now();
    const candidates = await this.models.sql.select<{ id: string }>(
      "SELECT id FROM users WHERE status = 'active' AND access_ends_at IS NOT NULL AND access_ends_at > ? AND access_ends_at <= ? AND access_end_reminders < 2 ORDER BY access_ends_at, id",
      [now, new Date(now.getTime() + horizon * DAY_MS)],
    );
    let sent = 0;
    for (const { id } of candidates) if (await this.remind(id, s)) sent++;
    return sent;
  }

  /** Sends the reminder due for one account, unless it went out already. */
  private async remind(id: string, s: Settings): Promise<boolean> {
    return this.transactions.run(systemContext('system', 'access end reminders'), async (tx) => {
      const user = await this.users.getForUpdate(tx, id);
      if (user.status !== 'active' || !user.accessEndsAt) return false;
      const due = reminderDue(user.accessEndsAt, this.clock.now(), s);
      if (due === 0) return false;
      const { affectedRows } = await this.models.sql.write('UPDATE users SET access_end_reminders = ? WHERE id = ? AND access_end_reminders < ?', [due, id, due], tx);
      if (affectedRows !== 1) return false;
      const recipients = await this.recipientsFor(tx, user);
      const mail = (to: Recipient, forPerson: boolean) => ({ to: to.email, message: this.message(user, to, forPerson, s) });
      const messages = recipients.map((r) => mail(r, false));
      if (s.accessEndRemindPerson && user.email) messages.push(mail({ username: user.username, email: user.email }, true));
      await this.outbox.enqueueMany(tx, messages);
      await this.audit.record(tx, 'user.access_end_reminded', { reminder: due === 1 ? 'first' : 'last', endsAt: user.accessEndsAt.toISOString(), to: messages.map((m) => m.to) }, { type: 'user', id, label: user.username });
      return true;
    });
  }

  /** Whoever set the date while they may still manage users, else everyone who may. */
  private async recipientsFor(tx: TxContext, user: UserView): Promise<Recipient[]> {
    const setBy = (await this.models.User.findByPk(user.id, { attributes: ['accessEndSetBy'], transaction: tx.transaction }))?.accessEndSetBy ?? null;
    if (setBy && setBy !== user.id) {
      const setter = await this.models.User.findByPk(setBy, { attributes: ['username', 'email', 'status'], transaction: tx.transaction });
      if (setter?.status === 'active' && setter.email && (await this.roles.effectivePermissionsOf(setBy, tx)).has('users.manage')) return [{ username: setter.username, email: setter.email }];
    }
    return activeHoldersOf(this.models, 'users.manage', tx);
  }

  private message(user: UserView, to: Recipient, forPerson: boolean, s: Settings) {
    const ends = timeText(user.accessEndsAt, s.timeZone);
    const base = this.publicUrl.replace(/\/+$/, '');
    if (forPerson) {
      return securityNoticeMail(s.organizationName, {
        template: 'access-end-reminder-person',
        subject: `Your access to ${s.organizationName} ends on ${ends}`,
        greeting: `Hello ${to.username},`,
        paragraphs: [`Your account at ${s.organizationName} is set to be deactivated on ${ends}.`, 'If you still need access after that, ask whoever invited you or an administrator to extend it.'],
      });
    }
    return securityNoticeMail(s.organizationName, {
      template: 'access-end-reminder',
      subject: `Access of ${user.name} ends on ${ends}`,
      greeting: `Hello ${to.username},`,
      paragraphs: [
        `The account of ${user.name} (${user.username}) at ${s.organizationName} will be deactivated on ${ends}, its access end date.`,
        "On the user's page you can extend the access, clear the end date, or end it now. Nothing needs doing if it should simply end.",
      ],
      action: { label: "Open the user's page", url: `${base}/admin/users/${user.id}` },
    });
  }
}
