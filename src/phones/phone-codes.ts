// One-time codes proving a phone number: 6 random digits sent by SMS through the outbox,
// stored only as a hash, valid 10 minutes, single use, 5 tries. Sending is limited per
// number, per client address and per invitation or account, counted from the codes'
// rows; the region must be on the allow-list when one is set. The answers are the same
// whoever the number belongs to: phone numbers are not looked up at all.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import { sqlDate } from '../db/sql.js';
import { DomainError, ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { SmsOutbox } from '../sms/sms-outbox.js';
import type { PhoneCodePurpose } from './phone-code-model.js';
import { PHONE_CODE_RULES as RULES } from './phone-code-rules.js';
import type { ParsedPhone } from './phone-number.js';

/** Too many codes were asked for: 429, with when to try again. */
export class TooManyPhoneCodes extends DomainError {
  constructor(readonly retryAt: Date, now: Date) {
    const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
    super('too_many_codes', `Too many codes were sent. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 429);
  }
}

function codeHash(purpose: PhoneCodePurpose, subjectId: string, phone: string, code: string): string {
  // The subject and number salt the hash: one code's hash says nothing about another's.
  return createHash('sha256').update(`${purpose}\n${subjectId}\n${phone}\n${code}`, 'utf8').digest('hex');
}

export interface PhoneCodeSubject {
  purpose: PhoneCodePurpose;
  /** The invitation's or the account's id; the caller holds its row locked in the transaction. */
  id: string;
  /** For the audit log. */
  label: string;
}

export class PhoneCodes {
  constructor(
    private readonly models: Models,
    private readonly sms: SmsOutbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends a new code to `phone` in the caller's transaction (the SMS is enqueued with it);
   * earlier codes for the same subject stop working.
   */
  async send(tx: TxContext, subject: PhoneCodeSubject, phone: ParsedPhone): Promise<void> {
    const allowed = await this.settings.get('phoneCodeCountries', tx);
    if (allowed.length && !allowed.includes(phone.region)) {
      throw new ValidationError({ phone: 'Codes cannot be sent to phone numbers in that country. Use a number from another country.' });
    }
    await this.checkLimits(tx, subject, phone.e164);
    const now = this.clock.now();
    await this.models.sql.write(
      'UPDATE phone_codes SET expires_at = ? WHERE purpose = ? AND subject_id = ? AND consumed_at IS NULL AND expires_at > ?',
      [now, subject.purpose, subject.id, now],
      tx,
    );
    const code = String(randomInt(0, 10 ** RULES.digits)).padStart(RULES.digits, '0');
    await this.models.PhoneCode.create(
      {
        purpose: subject.purpose, subjectId: subject.id, phone: phone.e164, codeHash: codeHash(subject.purpose, subject.id, phone.e164, code),
        ip: tx.ip?.slice(0, 64) ?? null, createdAt: now, expiresAt: new Date(now.getTime() + RULES.ttlMs),
      },
      { transaction: tx.transaction },
    );
    const organizationName = await this.settings.get('organizationName', tx);
    await this.sms.enqueue(tx, phone.e164, {
      template: `phone-code-${subject.purpose}`,
      body: `${code} is your ${organizationName} verification code. It expires in ${RULES.ttlMs / 60_000} minutes. Do not share it.`,
    });
    await this.audit.record(tx, 'phone.code_sent', { purpose: subject.purpose, region: phone.region }, { type: subject.purpose === 'account' ? 'user' : 'invitation', id: subject.id, label: subject.label });
  }

  /**
   * Counts one try against the subject's live code for `phone` and compares. Runs in its
   * own statement, outside the caller's transaction, so a wrong try stays counted even
   * though the caller's work rolls back; at most `maxAttempts` codes are ever compared.
   * Returns the code's id for `consume`.
   */
  async check(purpose: PhoneCodePurpose, subjectId: string, phone: string, code: string): Promise<number> {
    const now = this.clock.now();
    const [live] = await this.models.sql.select<{ id: number; phone: string; code_hash: string }>(
      'SELECT id, phone, code_hash FROM phone_codes WHERE purpose = ? AND subject_id = ? AND consumed_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1',
      [purpose, subjectId, now],
    );
    if (!live || live.phone !== phone) throw new ValidationError({ phoneCode: 'There is no current code for this number: ask for a new code.' });
    const counted = await this.models.sql.write(
      'UPDATE phone_codes SET attempts = attempts + 1 WHERE id = ? AND attempts < ? AND consumed_at IS NULL AND expires_at > ?',
      [live.id, RULES.maxAttempts, now],
    );
    if (counted.affectedRows !== 1) throw new ValidationError({ phoneCode: 'That code was entered wrongly too many times: ask for a new code.' });
    const given = /^\d+$/.test(code.trim()) ? code.trim() : '';
    const right = Buffer.from(live.code_hash, 'hex');
    const entered = Buffer.from(codeHash(purpose, subjectId, phone, given), 'hex');
    if (!timingSafeEqual(right, entered)) {
      const [row] = await this.models.sql.select<{ attempts: number }>('SELECT attempts FROM phone_codes WHERE id = ?', [live.id]);
      const left = RULES.maxAttempts - Number(row?.attempts ?? RULES.maxAttempts);
      throw new ValidationError({ phoneCode: left > 0 ? `That code is not right: ${left} ${left === 1 ? 'try' : 'tries'} left.` : 'That code is not right, and that was the last try: ask for a new code.' });
    }
    return live.id;
  }

  /** Uses the code up in the caller's transaction: of two uses racing, one wins. */
  async consume(tx: TxContext, codeId: number): Promise<void> {
    const now = this.clock.now();
    const used = await this.models.sql.write('UPDATE phone_codes SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL AND expires_at > ?', [now, codeId, now], tx);
    if (used.affectedRows !== 1) throw new ValidationError({ phoneCode: 'That code was already used or has expired: ask for a new code.' });
  }

  /** Refuses a send past any limit, naming when the oldest counted send leaves its window. */
  private async checkLimits(tx: TxContext, subject: PhoneCodeSubject, phone: string): Promise<void> {
    const now = this.clock.now().getTime();
    const since = (windowMs: number) => new Date(now - windowMs);
    const checks: Array<{ where: string; params: Array<string | Date>; rule: { limit: number; windowMs: number } }> = [
      { where: 'purpose = ? AND subject_id = ?', params: [subject.purpose, subject.id], rule: RULES.perSubject },
      { where: 'phone = ?', params: [phone], rule: RULES.perNumber },
    ];
    if (tx.ip) checks.push({ where: 'ip = ?', params: [tx.ip.slice(0, 64)], rule: RULES.perAddress });
    for (const { where, params, rule } of checks) {
      const rows = await this.models.sql.select<{ created_at: Date | string }>(
        `SELECT created_at FROM phone_codes WHERE ${where} AND created_at > ? ORDER BY created_at DESC LIMIT ${rule.limit}`,
        [...params, since(rule.windowMs)],
        tx,
      );
      if (rows.length >= rule.limit) {
        const oldest = sqlDate(rows[rows.length - 1]!.created_at)!;
        throw new TooManyPhoneCodes(new Date(oldest.getTime() + rule.windowMs), new Date(now));
      }
    }
  }
}
