// Phone numbers proven by a one-time code sent by SMS.
// - users.verified_phone: the number (E.164) the account last proved. The phone is verified
//   while it equals users.phone, so any path that changes the phone (a page, SCIM, LDAP,
//   CSV) makes it unverified without having to remember to.
// - sms_outbox: text messages waiting to be sent, claimed by workers like mail_outbox.
// - phone_codes: one row per code sent, kept hashed. The rows are also the record the send
//   limits count (per number, per client address, per invitation or account).
import type { QueryInterface } from 'sequelize';
import { int, serialKey, str, text, time, type Migration } from './columns.js';

export const migration: Migration = {
  name: '018-phone-verification',
  async up(qi: QueryInterface) {
    await qi.addColumn('users', 'verified_phone', str(64));
    await qi.createTable('sms_outbox', {
      id: serialKey(),
      to_number: str(32, false),
      body: text(false),
      template: str(100, false),
      status: str(16, false),
      attempts: int(false, 0),
      next_attempt_at: time(false),
      locked_until: time(),
      locked_by: str(64),
      last_error: text(),
      created_at: time(false),
      sent_at: time(),
    });
    await qi.addIndex('sms_outbox', ['status', 'next_attempt_at'], { name: 'sms_outbox_due' });
    await qi.createTable('phone_codes', {
      id: serialKey(),
      // 'invitation' or 'account', and the invitation's or the account's id.
      purpose: str(16, false),
      subject_id: str(36, false),
      phone: str(32, false),
      code_hash: str(64, false),
      ip: str(64),
      attempts: int(false, 0),
      created_at: time(false),
      expires_at: time(false),
      consumed_at: time(),
    });
    await qi.addIndex('phone_codes', ['purpose', 'subject_id', 'created_at'], { name: 'phone_codes_subject' });
    await qi.addIndex('phone_codes', ['phone', 'created_at'], { name: 'phone_codes_phone' });
    await qi.addIndex('phone_codes', ['ip', 'created_at'], { name: 'phone_codes_ip' });
  },
  async down(qi: QueryInterface) {
    await qi.dropTable('phone_codes');
    await qi.dropTable('sms_outbox');
    await qi.removeColumn('users', 'verified_phone');
  },
};
