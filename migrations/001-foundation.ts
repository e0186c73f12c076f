// Foundation tables: accounts, settings, the audit trail, the mail outbox and the
// first-start setup tokens.
import type { QueryInterface } from 'sequelize';
import { bool, day, int, serialKey, str, text, time, uuidKey, type Migration } from './columns.js';

export const migration: Migration = {
  name: '001-foundation',
  async up(qi: QueryInterface) {
    await qi.createTable('users', {
      id: uuidKey(),
      username: str(255, false),
      // Lower-cased copies carry the case-insensitive unique indexes on both dialects.
      username_normalized: str(255, false),
      email: str(320, false),
      email_normalized: str(320, false),
      given_name: str(255),
      family_name: str(255),
      display_name: str(255),
      phone: str(64),
      department: str(255),
      title: str(255),
      employee_number: str(64),
      manager: str(255),
      gender: str(32),
      birthdate: day(),
      locale: str(35),
      external_id: str(255),
      external_id_normalized: str(255),
      kind: str(16, false),
      source: str(16, false),
      status: str(16, false),
      email_verified: bool(false),
      password_hash: str(255),
      version: int(false, 1),
      created_at: time(false),
      updated_at: time(false),
      last_sign_in_at: time(),
      deactivated_at: time(),
      deactivation_reason: str(500),
    });
    await qi.addIndex('users', ['username_normalized'], { unique: true, name: 'users_username_normalized_unique' });
    await qi.addIndex('users', ['email_normalized'], { unique: true, name: 'users_email_normalized_unique' });
    await qi.addIndex('users', ['external_id_normalized'], { unique: true, name: 'users_external_id_normalized_unique' });
    await qi.addIndex('users', ['kind', 'status'], { name: 'users_kind_status' });
    await qi.addIndex('users', ['created_at', 'id'], { name: 'users_created_at_id' });

    await qi.createTable('settings', {
      key: { ...str(100, false), primaryKey: true },
      value: text(false),
      updated_at: time(false),
    });

    await qi.createTable('audit_events', {
      id: serialKey(),
      occurred_at: time(false),
      action: str(100, false),
      actor_id: str(36),
      actor_label: str(255, false),
      source: str(16, false),
      ip: str(64),
      request_id: str(64),
      target_type: str(32),
      target_id: str(64),
      target_label: str(320),
      details: text(),
    });
    await qi.addIndex('audit_events', ['occurred_at'], { name: 'audit_events_occurred_at' });
    await qi.addIndex('audit_events', ['action', 'occurred_at'], { name: 'audit_events_action' });
    await qi.addIndex('audit_events', ['actor_id', 'occurred_at'], { name: 'audit_events_actor' });
    await qi.addIndex('audit_events', ['target_id', 'occurred_at'], { name: 'audit_events_target' });

    await qi.createTable('mail_outbox', {
      id: serialKey(),
      to_address: str(320, false),
      subject: str(500, false),
      html_body: text(false),
      text_body: text(false),
      template: str(100, false),
      status: str(16, false), // pending | sent | failed
      attempts: int(false, 0),
      next_attempt_at: time(false),
      locked_until: time(),
      locked_by: str(64),
      last_error: text(),
      created_at: time(false),
      sent_at: time(),
    });
    await qi.addIndex('mail_outbox', ['status', 'next_attempt_at'], { name: 'mail_outbox_due' });

    await qi.createTable('setup_tokens', {
      id: serialKey(),
      token_hash: str(64, false),
      created_at: time(false),
      expires_at: time(false),
      used_at: time(),
    });
    await qi.addIndex('setup_tokens', ['token_hash'], { unique: true, name: 'setup_tokens_token_hash_unique' });
  },
  async down(qi: QueryInterface) {
    for (const table of ['setup_tokens', 'mail_outbox', 'audit_events', 'settings', 'users']) await qi.dropTable(table);
  },
};
